/**
 * `jsr:` plugins that are members of a Deno workspace: inside a checkout of otai (or of any
 * workspace that holds the package), `from: jsr:@otai/base@^1.0` loads the member's code from
 * disk, as Deno resolves workspace members, so a checkout runs offline exactly what it would
 * publish.
 *
 * @module
 */
import semver from "semver";
import { fileURLToPath } from "node:url";

/** A package of a workspace. */
interface Member {
  name: string;
  version: string | undefined;
  dir: URL;
  exports: Record<string, string>;
}

const workspaces = new Map<string, Member[] | undefined>();

/**
 * The file a `jsr:` specifier names in a workspace: the one above `baseUrl` (the config's
 * folder), else the one otai itself runs from.
 *
 * @param from The config's `from:` (`jsr:@scope/name@range/sub`).
 * @param baseUrl The config's folder.
 * @returns The member's export module and version, or undefined when no workspace has a member
 * of that name whose version satisfies the range.
 *
 * @example
 * ```ts
 * import { workspaceModule } from "./_workspace.ts";
 * import { ok } from "node:assert/strict";
 * const found = workspaceModule("jsr:@otai/base@^1.0", new URL("../../", import.meta.url));
 * ok(found?.url.href.endsWith("/plugins/base/mod.ts"));
 * ```
 */
export function workspaceModule(
  from: string,
  baseUrl: URL,
): { url: URL; version: string | undefined } | undefined {
  const m = /^jsr:(@[^/@]+\/[^/@]+)(?:@([^/]+))?(\/.*)?$/.exec(from);
  if (!m) return undefined;
  const [, name, range, sub] = m;
  const places = [baseUrl];
  if (Deno.mainModule.startsWith("file:")) places.push(new URL(".", Deno.mainModule));
  for (const place of places) {
    const member = membersAbove(place)?.find((p) =>
      p.name === name && (!range || !p.version || semver.satisfies(p.version, range))
    );
    const target = member?.exports[sub ? `.${sub}` : "."];
    if (member && target) return { url: new URL(target, member.dir), version: member.version };
  }
  return undefined;
}

/** The packages of the nearest workspace at or above `dir`. */
function membersAbove(dir: URL): Member[] | undefined {
  for (let at = new URL(".", dir), i = 0; i < 64; i++) {
    const key = at.href;
    if (workspaces.has(key)) return workspaces.get(key);
    const root = readConfig(at);
    if (root && Array.isArray(root.workspace)) {
      const members = [root, ...root.workspace.map((p: string) => readConfig(new URL(`${p}/`, at)))]
        .flatMap((c) => (c ? memberOf(c) : []));
      workspaces.set(key, members);
      return members;
    }
    const up = new URL("..", at);
    if (up.href === at.href) break;
    at = up;
  }
  workspaces.set(dir.href, undefined);
  return undefined;
}

// deno-lint-ignore no-explicit-any
type Config = Record<string, any> & { dir: URL };

function readConfig(dir: URL): Config | undefined {
  for (const name of ["deno.json", "deno.jsonc"]) {
    try {
      const text = Deno.readTextFileSync(fileURLToPath(new URL(name, dir)));
      return { ...JSON.parse(name.endsWith("c") ? stripComments(text) : text), dir };
    } catch { /* none here, or not readable */ }
  }
  return undefined;
}

function memberOf(c: Config): Member[] {
  if (typeof c.name !== "string") return [];
  const exports = typeof c.exports === "string" ? { ".": c.exports } : c.exports ?? {};
  return [{ name: c.name, version: c.version, dir: c.dir, exports }];
}

function stripComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_, s) => s ?? "");
}
