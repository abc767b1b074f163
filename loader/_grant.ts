import { isAbsolute, resolve } from "node:path";
import type { PermissionSet } from "../core/contract.ts";
import { effectivePermissions, grantYaml, PERMISSION_NAMES } from "../core/permissions.ts";
import type { PermissionName, Permissions } from "../core/types.ts";
import type { SourceLocation } from "../core/errors.ts";

/**
 * What a plugin runs with: its request intersected with the config's grant, paths made
 * absolute against the config's directory, plus the hosts its own code comes from.
 *
 * @returns The effective permissions, or the message refusing a request the grant lacks.
 */
export function grantPermissions(
  options: {
    name: string;
    index: number;
    request: Permissions;
    grant: Permissions;
    base: string;
    importHosts: string[];
    where: SourceLocation;
  },
): { effective: PermissionSet } | { refusal: string } {
  const request = absolutePaths(options.request, options.base);
  const grant = absolutePaths(options.grant, options.base);
  const { effective, missing } = effectivePermissions(request, grant);
  if (options.importHosts.length) {
    const own = Array.isArray(effective.import) ? effective.import : [];
    effective.import = effective.import === true
      ? true
      : [...new Set([...own, ...options.importHosts])];
  }
  if (!missing.length) return { effective };
  const what = missing.map((x) =>
    `${x.name} access${
      x.requested === true ? "" : ` to ${x.requested.map((v) => `"${v}"`).join(", ")}`
    }`
  ).join(", ");
  return {
    refusal: `Cannot load plugin "${options.name}": it requests ${what}, which ` +
      `${options.where.file}:${options.where.line} does not grant; after review, grant it ` +
      `under plugins[${options.index}].permissions:\n    permissions:\n${grantYaml(missing)}`,
  };
}

/** The first effective permission this process does not hold itself, if any. */
export function beyondHost(p: PermissionSet): string | undefined {
  for (const [name, value] of Object.entries(p)) {
    if (value === false) continue;
    const descriptors = value === true
      ? [{ name }]
      : value.map((v) => ({ name, [KEY[name] ?? "path"]: v }));
    for (const d of descriptors) {
      const state = Deno.permissions.querySync(d as Deno.PermissionDescriptor).state;
      if (state !== "granted") {
        return `${name} access${value === true ? "" : ` to "${Object.values(d)[1]}"`}`;
      }
    }
  }
  return undefined;
}

const KEY: Record<string, string> = {
  net: "host",
  env: "variable",
  run: "command",
  sys: "kind",
  import: "host",
};

function absolutePaths(p: Permissions, base: string): Permissions {
  const out: Permissions = {};
  for (const name of PERMISSION_NAMES) {
    const v = p[name];
    if (v === undefined) continue;
    out[name] = Array.isArray(v) && isPathKind(name)
      ? v.map((x) => (isAbsolute(x) ? x : resolve(base, x)))
      : v;
  }
  return out;
}

function isPathKind(name: PermissionName): boolean {
  return name === "read" || name === "write";
}
