import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkContainment } from "./_contain.ts";
import type { PluginEntry } from "../../core/config/schema.ts";
import type { PluginSource } from "../../core/registry.ts";
import { type FetchOptions, fetchPluginGraph, type PluginGraph } from "./fetch_plugin.ts";
import { exactJsrSpecifier, resolveJsrRange } from "./jsr.ts";
import { workspaceModule } from "./_workspace.ts";
import { describeChanges } from "./_module_hashes.ts";
import type { LockEntry, Lockfile } from "./lockfile.ts";
import { deprecated } from "../../core/deprecated.ts";

/** Options for resolving remote plugins. */
export interface SourceOptions extends FetchOptions {
  /** The lock to honour. */
  lock?: Lockfile | undefined;
  /** Refuse remote plugins that the lock does not list. */
  frozen?: boolean;
}

/** Where a plugin's code comes from, ready to import in its sandbox. */
export interface ResolvedSource {
  /** The specifier the sandbox imports. */
  importSpecifier: string;
  /** Hosts the plugin may import from at run time (its own origin, the JSR registry). */
  importHosts: string[];
  /** What `plugins list` and `lock` show. */
  source: PluginSource;
  /** The fetched graph, for remote plugins. */
  graph?: PluginGraph;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Resolves a config's `from:`: local paths relative to the config file; remote plugins are
 * fetched in a separate process, checked against `integrity:` and the lock, and their
 * redirects against the `import` grant.
 *
 * @throws {Error} With a message that says what to do.
 */
export async function resolveSource(
  entry: PluginEntry,
  baseUrl: URL,
  options: SourceOptions = {},
): Promise<ResolvedSource> {
  const from = entry.from;
  const member = from.startsWith("jsr:") ? workspaceModule(from, baseUrl) : undefined;
  if (member) {
    // A package of the workspace this config (or otai) lives in: its code on disk, as Deno
    // resolves workspace members; nothing is fetched or locked.
    const local = await resolveLocal({ ...entry, from: member.url.href }, baseUrl, options);
    local.source = { ...local.source, specifier: from, resolved: member.url.href };
    if (member.version) local.source.version = member.version;
    return local;
  }
  if (!/^(https?|jsr):/.test(from)) return await resolveLocal(entry, baseUrl, options);
  if (from.startsWith("http:") && !entry.insecure && !LOCAL_HOSTS.has(new URL(from).hostname)) {
    throw new Error(
      `Cannot load plugin "${from}": plain http is allowed for localhost only, since anyone on ` +
        "the way could change the code; use https, or set insecure: true on this plugin",
    );
  }
  const locked = options.lock?.plugins[from];
  if (!locked && options.frozen) {
    throw new Error(
      `Cannot load plugin "${from}": it is not in otai.lock and --frozen is set; ` +
        'run "otai lock <config>" after reviewing it',
    );
  }
  const origin = from.startsWith("jsr:") ? registryHost() : hostOf(from);
  const grant = entry.permissions?.import;
  const importHosts = grant === true
    ? undefined
    : [...new Set([origin, registryHost(), ...(Array.isArray(grant) ? grant : [])])];
  let specifier = locked?.resolved ?? from;
  if (!locked && from.startsWith("jsr:") && !options.offline) {
    specifier = await resolveJsrRange(from, options.timeoutMs);
  }
  const graph = await fetchPluginGraph(specifier, {
    ...options,
    ...(importHosts ? { importHosts } : {}),
  });
  checkIntegrity(from, graph, entry.integrity, locked);
  const importSpecifier = graph.jsrVersion ? exactJsrSpecifier(from, graph.jsrVersion) : specifier;
  const source: PluginSource = {
    specifier: from,
    resolved: importSpecifier,
    url: graph.resolvedUrl,
    integrity: graph.integrity,
  };
  if (graph.jsrVersion) source.version = graph.jsrVersion;
  return { importSpecifier, importHosts: hostsOf(graph, [origin]), source, graph };
}

/**
 * A plugin from a path (relative to the config file) or a `file:` URL. Its graph is vetted like
 * a remote one, and every local module in it must lie in its folder or its read grant.
 */
async function resolveLocal(
  entry: PluginEntry,
  baseUrl: URL,
  options: SourceOptions,
): Promise<ResolvedSource> {
  const from = entry.from;
  const url = from.startsWith("file:") ? new URL(from) : new URL(from, baseUrl);
  let stat: Deno.FileInfo | undefined;
  try {
    stat = await Deno.stat(url);
  } catch {
    throw new Error(
      `Cannot load plugin "${from}": no file at ${fileURLToPath(url)}; paths are relative to ` +
        "the config file",
    );
  }
  if (!stat.isFile) {
    throw new Error(
      `Cannot load plugin "${from}": ${fileURLToPath(url)} is not a file; point from: at the ` +
        "plugin's module (e.g. mod.ts)",
    );
  }
  const grant = entry.permissions?.import;
  const importHosts = grant === true
    ? undefined
    : [...new Set([registryHost(), ...(Array.isArray(grant) ? grant : [])])];
  const graph = await fetchPluginGraph(url.href, {
    ...options,
    ...(importHosts ? { importHosts } : {}),
  });
  const read = entry.permissions?.read;
  const readGrants = read === true
    ? true
    : (Array.isArray(read) ? read : []).map((p) => resolve(fileURLToPath(baseUrl), p));
  const outside = checkContainment(url.href, graph.modules, readGrants);
  if (outside) throw new Error(`Cannot load plugin "${from}": ${outside}`);
  checkIntegrity(from, graph, entry.integrity, undefined);
  return {
    importSpecifier: url.href,
    importHosts: hostsOf(graph, []),
    source: { specifier: url.href },
    graph,
  };
}

/** Refuses a graph whose hash differs from the config's `integrity:` or from the lock. */
function checkIntegrity(
  from: string,
  graph: PluginGraph,
  pinned: string | undefined,
  locked: LockEntry | undefined,
): void {
  if (pinned && pinned !== graph.integrity && pinned !== graph.legacyIntegrity) {
    throw new Error(
      `Cannot load plugin "${from}": its code does not match the integrity pinned in the config ` +
        `(expected ${pinned}, got ${graph.integrity}); review the new code, then ` +
        "update integrity:",
    );
  }
  if (pinned && pinned !== graph.integrity) {
    deprecated(
      `the integrity ${pinned} of plugin "${from}" (the hash of an older otai, over module URLs)`,
      `integrity: ${graph.integrity}, the same code's hash by module identity`,
    );
  }
  if (!locked || locked.integrity === graph.integrity) return;
  if (!locked.modules && locked.integrity === graph.legacyIntegrity) {
    deprecated(
      "otai.lock entries without module hashes (written by an older otai)",
      'the lock "otai lock <config>" writes now, after reviewing the plugins',
    );
    return;
  }
  const what = locked.modules
    ? describeChanges(locked.modules, graph.moduleHashes)
    : `locked ${locked.integrity}, now ${graph.integrity}`;
  throw new Error(
    `Cannot load plugin "${from}": its code changed since otai.lock was written ` +
      `(${what || `locked ${locked.integrity}, now ${graph.integrity}`}); review the ` +
      'change, then run "otai lock <config>" to accept it',
  );
}

/** The hosts a vetted graph's remote modules come from: what its code needs to be imported. */
function hostsOf(graph: PluginGraph, hosts: string[]): string[] {
  const out = new Set(hosts);
  for (const m of graph.modules) if (/^https?:/.test(m.specifier)) out.add(hostOf(m.specifier));
  return [...out];
}

function registryHost(): string {
  return hostOf(Deno.env.get("JSR_URL") ?? "https://jsr.io/");
}

function hostOf(url: string): string {
  return new URL(url).host;
}
