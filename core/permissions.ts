import type { PermissionName, Permissions, PermissionValue } from "./types.ts";

/** Every permission kind, in the order messages list them. */
export const PERMISSION_NAMES: readonly PermissionName[] = [
  "net",
  "read",
  "write",
  "env",
  "run",
  "sys",
  "ffi",
  "import",
];

/** The result of {@linkcode effectivePermissions}. */
export interface EffectivePermissions {
  /** What the plugin gets: request ∩ grant, each kind `true`, `false` or a list. */
  effective: Record<PermissionName, boolean | string[]>;
  /** Kinds the plugin requested that the grant does not cover at all: the load fails. */
  missing: { name: PermissionName; requested: true | string[] }[];
  /** Values requested but not granted in a kind that is otherwise granted. */
  narrowed: { name: PermissionName; values: string[] }[];
}

/**
 * Computes a plugin's effective permissions: what it requests, intersected with what the config
 * grants (`true` meaning all of a kind). Paths must already be absolute.
 *
 * @param request The manifest's `permissions`.
 * @param grant The config's `permissions` for the plugin.
 * @returns Effective permissions, missing kinds and narrowed values.
 *
 * @example
 * ```ts
 * import { effectivePermissions } from "@otai/cli";
 * import { deepStrictEqual } from "node:assert/strict";
 * const r = effectivePermissions({ net: true, env: ["TOKEN"] }, { net: ["api.example.com"] });
 * deepStrictEqual(r.effective.net, ["api.example.com"]);
 * deepStrictEqual(r.missing, [{ name: "env", requested: ["TOKEN"] }]);
 * ```
 */
export function effectivePermissions(
  request: Permissions,
  grant: Permissions,
): EffectivePermissions {
  const effective = {} as Record<PermissionName, boolean | string[]>;
  const missing: EffectivePermissions["missing"] = [];
  const narrowed: EffectivePermissions["narrowed"] = [];
  for (const name of PERMISSION_NAMES) {
    const req = normalize(request[name]);
    const got = normalize(grant[name]);
    if (req === false) {
      effective[name] = false;
      continue;
    }
    let result: boolean | string[];
    if (got === false) result = false;
    else if (req === true) result = got;
    else if (got === true) result = req;
    else {
      result = intersect(name, req, got);
      const lost = req.filter((r) => !(result as string[]).some((e) => covers(name, r, e)));
      if (result.length && lost.length) narrowed.push({ name, values: lost });
    }
    if (result === false || (Array.isArray(result) && result.length === 0)) {
      missing.push({ name, requested: req });
      result = false;
    }
    effective[name] = result;
  }
  return { effective, missing, narrowed };
}

/**
 * The YAML lines that would grant what a plugin is missing, for error messages.
 *
 * @param missing From {@linkcode effectivePermissions}.
 * @returns Indented YAML under `permissions:`.
 */
export function grantYaml(missing: EffectivePermissions["missing"]): string {
  return missing.map((m) =>
    `      ${m.name}: ${m.requested === true ? "true" : JSON.stringify(m.requested)}`
  ).join("\n");
}

function normalize(v: PermissionValue | undefined): boolean | string[] {
  if (v === undefined || v === false) return false;
  if (v === true) return true;
  return v.length ? [...v] : false;
}

function intersect(name: PermissionName, req: string[], got: string[]): string[] {
  const out = new Set<string>();
  for (const r of req) {
    for (const g of got) {
      const narrower = narrowerOf(name, r, g);
      if (narrower !== undefined) out.add(narrower);
    }
  }
  return [...out];
}

/** Of two values of one kind, the narrower one if one includes the other. */
function narrowerOf(name: PermissionName, a: string, b: string): string | undefined {
  if (a === b) return a;
  if (covers(name, a, b)) return b;
  if (covers(name, b, a)) return a;
  return undefined;
}

/** Whether value `wide` includes value `narrow`. */
function covers(name: PermissionName, wide: string, narrow: string): boolean {
  if (wide === narrow) return true;
  switch (name) {
    case "read":
    case "write":
    case "ffi":
      return narrow.startsWith(wide.endsWith("/") ? wide : wide + "/");
    case "net":
    case "import":
      return !hasPort(wide) && narrow.startsWith(wide + ":");
    case "env":
      return wide.endsWith("*") && narrow.startsWith(wide.slice(0, -1));
    default:
      return false;
  }
}

function hasPort(host: string): boolean {
  return /:\d+$/.test(host);
}
