import semver from "semver";
import { API_VERSION } from "./api_version.ts";
import { PERMISSION_NAMES } from "./permissions.ts";
import type { InjectableKind } from "./contract.ts";
import type { Permissions } from "./types.ts";
import { EVENT_TYPES, type EventType } from "./events.ts";
import { closest } from "./_suggest.ts";

/** A manifest that passed {@linkcode checkManifest}: its data, without code. */
export interface ManifestInfo {
  /** kebab-case name. */
  name: string;
  /** semver version. */
  version: string;
  /** Supported API range. */
  api: string;
  /** One line on the plugin. */
  description?: string;
  /** Requested permissions. */
  permissions: Permissions;
  /** The events it has handlers for. */
  events?: EventType[];
  /** Pipes and services, without code. */
  injectables: {
    kind: InjectableKind;
    name: string;
    description?: string;
    hasParams: boolean;
    /** A JSON Schema (draft 2020-12) of its params, when its params schema can give one. */
    paramsSchema?: Record<string, unknown>;
    /** The services it takes, by injected name, with the interface each offers. */
    services?: Record<string, string>;
  }[];
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Checks a plugin manifest's data (as described by its sandbox) and its API range.
 *
 * @param m The manifest data.
 * @returns The typed manifest, or every problem found, each saying what to fix.
 *
 * @example
 * ```ts
 * import { checkManifest } from "@otai/cli";
 * import { ok } from "node:assert/strict";
 * const r = checkManifest({ name: "x", version: "1.0.0", api: "^2.0", injectables: [] });
 * ok("problems" in r && r.problems[0]!.includes("^2.0"));
 * ```
 */
export function checkManifest(
  m: Record<string, unknown>,
): { manifest: ManifestInfo } | { problems: string[] } {
  const problems: string[] = [];
  if (typeof m.name !== "string" || !KEBAB.test(m.name)) {
    problems.push(`"name" must be a kebab-case string such as "my-plugin", got ${show(m.name)}`);
  }
  if (typeof m.version !== "string" || !semver.valid(m.version)) {
    problems.push(`"version" must be a semver version such as "1.0.0", got ${show(m.version)}`);
  }
  if (typeof m.api !== "string" || !semver.validRange(m.api)) {
    problems.push(`"api" must be a semver range such as "^1.0", got ${show(m.api)}`);
  } else if (!semver.satisfies(API_VERSION, m.api)) {
    problems.push(
      `it supports otai plugin API "${m.api}", but this otai implements API ${API_VERSION}; ` +
        `use a version of the plugin built for API ^${semver.major(API_VERSION)}.0, ` +
        "or an otai release that implements its range",
    );
  }
  checkPermissions(m.permissions ?? {}, problems);
  checkEvents(m.events, problems);
  const seen = new Set<string>();
  const injectables = Array.isArray(m.injectables) ? m.injectables : [];
  for (const [n, i] of injectables.entries()) {
    if (i === null || typeof i !== "object") {
      problems.push(`injectables[${n}] is not an object`);
      continue;
    }
    // Named by its name where it has one: "Classify" says more than injectables[1].
    const it = typeof i.name === "string" && i.name
      ? `injectables[${n}] ("${i.name.slice(0, 60)}")`
      : `injectables[${n}]`;
    if (i.kind !== "pipe" && i.kind !== "service") {
      problems.push(`${it}.kind must be "pipe" or "service", got ${show(i.kind)}`);
    }
    if (typeof i.name !== "string" || !PASCAL.test(i.name)) {
      problems.push(
        `injectables[${n}].name must be PascalCase such as "Classify", got ${show(i.name)}`,
      );
    } else if (seen.has(i.name)) {
      problems.push(`${it}: the name "${i.name}" is used twice; names must be unique`);
    } else seen.add(i.name);
    const schema = i.paramsSchema;
    if (
      schema !== undefined &&
      (schema === null || typeof schema !== "object" || Array.isArray(schema))
    ) {
      problems.push(`${it}.paramsSchema must be a JSON Schema object`);
    }
    if (i.services !== undefined && !isServiceMap(i.services)) {
      problems.push(
        `${it}.services must map each injected name to an interface name, such as ` +
          `{ tickets: "TicketSystem" }`,
      );
    }
  }
  if (problems.length) return { problems };
  return { manifest: m as unknown as ManifestInfo };
}

function checkPermissions(perms: unknown, problems: string[]): void {
  if (perms === null || typeof perms !== "object" || Array.isArray(perms)) {
    problems.push(`"permissions" must be a mapping such as { net: ["host"] }`);
    return;
  }
  for (const [k, v] of Object.entries(perms)) {
    if (!(PERMISSION_NAMES as string[]).includes(k)) {
      problems.push(`"permissions.${k}" is not a Deno permission (${PERMISSION_NAMES.join(", ")})`);
    } else if (
      typeof v !== "boolean" && !(Array.isArray(v) && v.every((x) => typeof x === "string"))
    ) {
      problems.push(`"permissions.${k}" must be true, false or a list of strings`);
    }
  }
}

function isServiceMap(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) &&
    Object.entries(v).every(([k, t]) => k.length > 0 && typeof t === "string" && t.length > 0);
}

function checkEvents(events: unknown, problems: string[]): void {
  if (events === undefined) return;
  if (!Array.isArray(events) || !events.every((e) => typeof e === "string")) {
    problems.push(`"events" must map event types to handlers`);
    return;
  }
  for (const e of events) {
    if (!(EVENT_TYPES as string[]).includes(e)) {
      const hint = closest(e, EVENT_TYPES);
      problems.push(
        `"events" has a handler for ${show(e)}, which otai does not emit; ` +
          (hint ? `did you mean "${hint}"?` : `it emits ${EVENT_TYPES.join(", ")}`),
      );
    }
  }
}

function show(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v) ?? String(v);
}
