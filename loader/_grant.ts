import { isAbsolute, join, relative, resolve } from "node:path";
import { denoDir, OTAI_ROOT } from "./host_paths.ts";
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

/** The folders no plugin may be granted to write: Deno's module cache and otai's own code. */
export function protectedFolders(): { path: string; what: string }[] {
  const out = [{ path: denoDir(), what: "Deno's module cache (DENO_DIR)" }];
  const own = ["mod.ts", "plugin.ts", "testing.ts", "cel.ts", "deno.json", "core", "loader"];
  for (const name of OTAI_ROOT === undefined ? [] : [...own, "cli", "testing", "plugins"]) {
    out.push({ path: join(OTAI_ROOT!, name), what: "otai's own code" });
  }
  return out.map((p) => ({ ...p, path: realOr(p.path) }));
}

/**
 * Refuses a grant that would let a plugin change code: a write grant overlapping Deno's module
 * cache, otai's own code or a local plugin's folder (`write: true` overlaps them all), and a
 * symlink in a granted folder that leads outside what is granted.
 *
 * @param effective The plugin's effective permissions (absolute paths).
 * @param codeFolders The folders of the config's local plugins.
 * @returns What is wrong, or undefined.
 */
export async function checkGrantPaths(
  effective: PermissionSet,
  codeFolders: readonly string[],
): Promise<string | undefined> {
  const guarded = [
    ...protectedFolders(),
    ...codeFolders.map((path) => ({ path: realOr(path), what: "a plugin's code" })),
  ];
  if (effective.write === true) {
    return `its write grant is true, which covers ${guarded[0]!.what} at ${guarded[0]!.path}; ` +
      "grant write access to the folders it needs";
  }
  for (const w of effective.write || []) {
    const hit = guarded.find((g) => overlaps(realOr(w), g.path));
    if (hit) {
      return `its write grant "${w}" overlaps ${hit.what} at ${hit.path}, which it could then ` +
        "rewrite; grant a folder outside it";
    }
  }
  for (const kind of ["read", "write"] as const) {
    const granted = effective[kind];
    if (granted === true || granted === false) continue;
    const link = await escapingLink(granted);
    if (link) {
      return `${link.link} in its ${kind} grant is a symlink to ${link.target}, outside what ` +
        `is granted; remove the link, or grant its target under permissions.${kind}`;
    }
  }
  return undefined;
}

const MAX_WALK = 20_000;

/** The first symlink under the granted paths whose target lies outside all of them. */
async function escapingLink(
  granted: readonly string[],
): Promise<{ link: string; target: string } | undefined> {
  const roots = granted.map(realOr);
  const within = (p: string) => roots.some((r) => r === p || isInside(p, r));
  let seen = 0;
  const stack = [...granted];
  while (stack.length && seen++ < MAX_WALK) {
    const path = stack.pop()!;
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch {
      continue;
    }
    if (info.isSymlink) {
      const target = realOr(path);
      if (!within(target)) return { link: path, target };
      continue;
    }
    if (!info.isDirectory) continue;
    try {
      for await (const e of Deno.readDir(path)) stack.push(join(path, e.name));
    } catch { /* unreadable: nothing granted through it */ }
  }
  return undefined;
}

function overlaps(a: string, b: string): boolean {
  return a === b || isInside(a, b) || isInside(b, a);
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

function realOr(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return resolve(path);
  }
}
