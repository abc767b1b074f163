/**
 * The credentials Deno fetches plugins with, so that none is ever shown: the tokens of private
 * plugin servers (`DENO_AUTH_TOKENS`, `token@host;user:password@host`) and of private npm
 * registries (`_authToken`, `_auth` and `_password` in `~/.npmrc` and the project's `.npmrc`,
 * with `${VAR}` read from the environment as Deno reads them).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { nearestFile } from "../loader/host_paths.ts";

/** Every credential value found in `env` and in the `.npmrc` files Deno may read. */
export function fetchCredentials(env: Record<string, string>, npmrcs: string[]): string[] {
  const out: string[] = [];
  for (const entry of (env.DENO_AUTH_TOKENS ?? "").split(";")) {
    const at = entry.lastIndexOf("@");
    if (at > 0) {
      const credentials = entry.slice(0, at);
      out.push(credentials, ...credentials.split(":"));
    }
  }
  for (const text of npmrcs) out.push(...npmrcCredentials(text, env));
  return out;
}

/**
 * The credential values of one `.npmrc` text, `${VAR}` expanded.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { npmrcCredentials } from "./_credentials.ts";
 * deepStrictEqual(
 *   npmrcCredentials("//npm.acme.example/:_authToken=${T}\n_password = cGFzcw==\n", { T: "tok1" }),
 *   ["tok1", "cGFzcw==", "pass"],
 * );
 * ```
 */
export function npmrcCredentials(text: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:\S*:)?(_authToken|_auth|_password)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const value = m[2]!.replace(/^"(.*)"$/, "$1").replace(/\$\{(\w+)\}/g, (_, v) => env[v] ?? "");
    out.push(value);
    if (m[1] !== "_authToken") {
      // `_auth` is base64 of user:password, `_password` base64 of the password.
      try {
        const decoded = atob(value);
        out.push(...(m[1] === "_auth" ? [decoded, ...decoded.split(":")] : [decoded]));
      } catch { /* not base64 */ }
    }
  }
  return out;
}

/**
 * The `.npmrc` files Deno reads for a process started in `cwd`: the home one, and the one beside
 * the project's deno.json or package.json (the nearest from `cwd` up).
 */
export function npmrcTexts(cwd: string, home: string | undefined): string[] {
  const texts: string[] = [];
  const config = nearestFile(cwd, ["deno.json", "deno.jsonc", "package.json"]);
  for (const dir of [home, config && dirname(config)]) {
    if (!dir) continue;
    try {
      texts.push(Deno.readTextFileSync(join(dir, ".npmrc")));
    } catch { /* none there */ }
  }
  return texts;
}
