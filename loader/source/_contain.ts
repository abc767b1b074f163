import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { GraphModule } from "./fetch_plugin.ts";

/**
 * Checks that every local module in a plugin's graph lies where the plugin may keep code: under
 * its own folder (the directory of its entry module), under a path its config grants it to
 * read, or in otai's own package (the contract it imports, and, for plugins that are part of
 * otai's package, the rest of it). Paths are compared after following symlinks, so a link in
 * the plugin's folder cannot lead outside it.
 *
 * The module loader reads a plugin's static imports without permission checks (JSON modules
 * included), so this is what keeps a plugin from importing a file it was not granted.
 *
 * @param entry The plugin's entry module (a `file:` URL).
 * @param modules Its graph, as `deno info` resolved it.
 * @param readGrants Absolute paths the plugin may read (`true`: anywhere).
 * @returns A refusal naming the first module out of bounds, or undefined.
 */
export function checkContainment(
  entry: string,
  modules: readonly GraphModule[],
  readGrants: true | readonly string[],
): string | undefined {
  if (readGrants === true) return undefined;
  const entryPath = real(fileURLToPath(entry));
  // A plugin that is part of a copy of otai's package (this one, or a checkout) may use all of
  // it; any other plugin only otai's public entry modules, whose own imports are otai's.
  const home = otaiRootOf(entryPath);
  const ownRoots = home ? [home] : [dirname(entryPath), ...readGrants.map(real)];
  const bySpecifier = new Map(modules.map((m) => [m.specifier, m]));
  const queue = [entry];
  const seen = new Set(queue);
  while (queue.length) {
    const m = bySpecifier.get(queue.shift()!);
    if (!m) continue;
    if (m.specifier.startsWith("file:")) {
      const path = real(fileURLToPath(m.specifier));
      if (isOtaiEntry(path)) continue;
      if (!ownRoots.some((r) => r === path || inside(path, r))) {
        return `it imports ${path}, which lies outside its folder ${dirname(entryPath)} and ` +
          "outside what the config grants it to read; keep a plugin's code in its folder, or " +
          "grant the path under permissions.read";
      }
    }
    for (const d of m.dependencies) if (!seen.has(d)) seen.add(d), queue.push(d);
  }
  return undefined;
}

/** otai's public entry modules, which any plugin may import. */
const OTAI_ENTRIES = new Set(["mod.ts", "plugin.ts", "testing.ts", "cel.ts"]);

function isOtaiEntry(path: string): boolean {
  return OTAI_ENTRIES.has(basename(path)) && otaiRootOf(path) === dirname(path);
}

const roots = new Map<string, string | undefined>();

/** The root of the copy of otai's package (a `deno.json` named `@otai/cli`) a path lies in. */
function otaiRootOf(path: string): string | undefined {
  const dir = dirname(path);
  if (roots.has(dir)) return roots.get(dir);
  let found: string | undefined;
  try {
    const json = JSON.parse(Deno.readTextFileSync(join(dir, "deno.json")));
    if (json?.name === "@otai/cli") found = dir;
  } catch { /* no package here */ }
  if (!found && dirname(dir) !== dir) found = otaiRootOf(dir);
  roots.set(dir, found);
  return found;
}
function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

function real(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return resolve(path);
  }
}
