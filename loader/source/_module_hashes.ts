/**
 * What identifies a plugin's code: each module's content hash, keyed by what names the module
 * wherever it is served from. A JSR module is `jsr:@scope/name@version/path` (whatever registry
 * host or port served it), a module beside or below the plugin's root module is `./path`, any
 * other module its URL. The same package from a mirror or a restarted local registry hashes the
 * same; a changed module is named.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { FetchError } from "./fetch_error.ts";
import { CODE_TYPES, readCached } from "./_cached_module.ts";
import { wrongType } from "./_explain_fetch.ts";

/** A module of a graph, as hashing needs it. */
interface GraphModule {
  /** Its URL. */
  specifier: string;
  /** Where its content is on disk. */
  local?: string;
}

/** What hashing a graph needs. */
export interface HashedGraph {
  /** Its modules, with their content on disk. */
  modules: readonly GraphModule[];
  /** Its npm packages, as `name id`. */
  npmPackages: readonly string[];
  /** The root module's URL (after redirects). */
  resolvedUrl?: string | undefined;
}

/**
 * Each module's `sha256-<hex>` by its identity (see the module doc), npm packages as
 * `npm <name> <id>`.
 *
 * @param specifier The plugin's specifier, for messages.
 * @param graph The graph.
 * @returns Hashes by identity.
 * @throws {FetchError} When a cached module was served as something other than code.
 *
 * @example
 * ```ts ignore
 * const hashes = await moduleHashes("jsr:@acme/x@^1", graph);
 * // { "jsr:@acme/x@1.0.0/mod.ts": "sha256-…", "npm zod zod@4.1.0": "" }
 * ```
 */
export async function moduleHashes(
  specifier: string,
  graph: HashedGraph,
): Promise<Record<string, string>> {
  return (await hashGraph(specifier, graph)).hashes;
}

/**
 * Reads each module of a graph once: its hashes by identity ({@linkcode moduleHashes}) and the
 * hash an older otai computed over module URLs and contents, still accepted where a config
 * pins it or an older otai.lock holds it.
 */
export async function hashGraph(
  specifier: string,
  graph: HashedGraph,
): Promise<{ hashes: Record<string, string>; legacy: string }> {
  const root = graph.resolvedUrl ?? graph.modules[0]?.specifier ?? specifier;
  const dir = root.slice(0, root.lastIndexOf("/") + 1);
  const jsr = (Deno.env.get("JSR_URL") ?? "https://jsr.io/").replace(/\/?$/, "/");
  const hashes: Record<string, string> = {};
  const byUrl: string[] = [];
  for (const m of graph.modules) {
    if (!m.local) continue;
    const hex = sha256Hex(await codeOf(specifier, m));
    hashes[identity(m.specifier, dir, jsr)] = `sha256-${hex}`;
    byUrl.push(`${m.specifier} ${hex}`);
  }
  for (const p of graph.npmPackages) {
    hashes[`npm ${p}`] = "";
    byUrl.push(`npm ${p}`);
  }
  return { hashes, legacy: `sha256-${sha256Hex(byUrl.sort().join("\n"))}` };
}

/** One `sha256-<hex>` over {@linkcode moduleHashes}. */
export function integrityOf(hashes: Record<string, string>): string {
  const lines = Object.entries(hashes).map(([k, v]) => (v ? `${k} ${v}` : k)).sort();
  return `sha256-${sha256Hex(lines.join("\n"))}`;
}

/**
 * What differs between locked and current module hashes, for a refusal: `./a.ts changed`,
 * `./b.ts added`, `./c.ts removed` (the first few).
 *
 * @example
 * ```ts
 * import { describeChanges } from "./_module_hashes.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(describeChanges({ "./a.ts": "x", "./c.ts": "z" }, { "./a.ts": "y", "./b.ts": "w" }),
 *   "./a.ts changed, ./b.ts added, ./c.ts removed");
 * ```
 */
export function describeChanges(
  locked: Record<string, string>,
  now: Record<string, string>,
): string {
  const said: string[] = [];
  for (const [k, v] of Object.entries(now)) {
    if (!(k in locked)) said.push(`${k} added`);
    else if (locked[k] !== v) said.push(`${k} changed`);
  }
  for (const k of Object.keys(locked)) if (!(k in now)) said.push(`${k} removed`);
  const order = (s: string) => (s.endsWith("changed") ? 0 : s.endsWith("added") ? 1 : 2);
  said.sort((a, b) => order(a) - order(b));
  return said.length > 5
    ? `${said.slice(0, 5).join(", ")} and ${said.length - 5} more`
    : said.join(", ");
}

function identity(url: string, dir: string, jsr: string): string {
  if (url.startsWith(jsr)) {
    const m = /^(@[^/]+\/[^/]+)\/([^/]+)(\/.*)$/.exec(url.slice(jsr.length));
    if (m) return `jsr:${m[1]}@${m[2]}${m[3]}`;
  }
  return dir && url.startsWith(dir) ? `./${url.slice(dir.length)}` : url;
}

async function codeOf(specifier: string, m: GraphModule): Promise<Uint8Array> {
  const { content, contentType } = readCached(await Deno.readFile(m.local!));
  if (contentType && !CODE_TYPES.test(contentType)) {
    throw new FetchError(wrongType(specifier, m.specifier, contentType));
  }
  return content;
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
