import { meaningfulLines } from "../deno_stderr.ts";
import { FetchError } from "./fetch_error.ts";
import { jsrName } from "./jsr.ts";
import { CODE_TYPES } from "./_cached_module.ts";
import { type HashedGraph, hashGraph, integrityOf, moduleHashes } from "./_module_hashes.ts";
import { explain, npmRefusal, reloadTarget, servedType, wrongType } from "./_explain_fetch.ts";
import { VettedCache } from "../_vetted_cache.ts";
import { nearestFile } from "../host_paths.ts";

export { FetchError };

/** A remote plugin's module graph as Deno resolved and cached it. */
export interface PluginGraph {
  /** The specifier that was fetched. */
  specifier: string;
  /** The root module's URL after redirects and JSR resolution. */
  resolvedUrl: string;
  /** For a `jsr:` plugin: the exact version it resolved to. */
  jsrVersion?: string;
  /** `sha256-<hex>` over what identifies its code (see {@linkcode moduleHashes}). */
  integrity: string;
  /** Each module's content hash by its identity (path inside its package, or URL). */
  moduleHashes: Record<string, string>;
  /** The hash an older otai computed (module URLs and contents), still accepted when pinned. */
  legacyIntegrity: string;
  /** Every module of the graph. */
  modules: GraphModule[];
  /** Its npm packages, as `name id`. */
  npmPackages: string[];
  /** Redirects Deno followed, from → to. */
  redirects: Record<string, string>;
  /** Total size of the graph in bytes. */
  totalBytes: number;
}

/** One module of a plugin's graph. */
export interface GraphModule {
  /** Its URL (`file:`, `https:`, `npm:`, ...). */
  specifier: string;
  /** Its size in bytes. */
  size: number;
  /** Where its content is on disk (the file itself, or Deno's cached copy). */
  local?: string;
  /** The modules it imports at run time (statically, or by a literal dynamic import). */
  dependencies: string[];
}

/** Options for {@linkcode fetchPluginGraph}. */
export interface FetchOptions {
  /** How long fetching may take; default 60 s. */
  timeoutMs?: number;
  /** Largest total size of the graph; default 20 MB. */
  maxBytes?: number;
  /** Use Deno's cache only; never reach the network. */
  offline?: boolean;
  /** Re-fetch from the source even when cached (used by `otai lock`). */
  reload?: boolean;
  /** Extra arguments for the Deno subprocess (import map, config). */
  denoArgs?: string[];
  /** The subprocess's working directory (where it discovers deno.json). */
  cwd?: string;
  /** Hosts the graph may import from; any other is refused. */
  importHosts?: string[];
}

/**
 * Fetches a remote plugin's whole module graph into Deno's cache in a separate Deno process,
 * and hashes it. Run before the plugin is imported, so that a tampered or unreachable plugin
 * is refused with a message instead of ending the host (Deno exits on integrity failures).
 *
 * @param specifier An `https:`, `http:` or `jsr:` specifier.
 * @param options Limits and modes.
 * @returns The graph and its integrity hash.
 * @throws {FetchError} On timeout, a missing module, a wrong content type, an integrity failure,
 * a graph over the size limit, or a module missing from the cache when offline.
 */
export async function fetchPluginGraph(
  specifier: string,
  options: FetchOptions = {},
): Promise<PluginGraph> {
  // Not the working directory itself: two directories that discover the same config files
  // resolve a graph alike, so a plugin vetted from one is not vetted again from the other.
  const key = await VettedCache.key(
    [specifier, options.denoArgs, options.importHosts, options.maxBytes],
    configFiles(options),
  );
  if (!options.reload) {
    const cached = await graphs.get(key);
    if (cached && await stillHashes(cached)) return cached;
  }
  const graph = await vet(specifier, options);
  await graphs.set(key, graph);
  return graph;
}

const graphs = new VettedCache<PluginGraph>("graphs");

/** Whether every module of a graph vetted before still has the content it was hashed with. */
async function stillHashes(graph: PluginGraph): Promise<boolean> {
  try {
    return await graphIntegrity(graph.specifier, graph) === graph.integrity;
  } catch {
    return false;
  }
}

/**
 * The files that decide how the graph resolves: a config or import map named in the flags, and
 * the deno.json (or deno.jsonc) and the package.json Deno would discover from the working
 * directory up, the nearest of each.
 */
function configFiles(options: FetchOptions): string[] {
  const named = (options.denoArgs ?? []).flatMap((a) => {
    const m = /^--(?:config|import-map)=(.+)$/.exec(a);
    return m ? [m[1]!] : [];
  });
  const found: string[] = [];
  for (const names of [["deno.json", "deno.jsonc"], ["package.json"]]) {
    const file = nearestFile(options.cwd, names);
    if (file) found.push(file);
  }
  return [...named, ...found];
}

async function vet(specifier: string, options: FetchOptions): Promise<PluginGraph> {
  const info = await denoInfo(specifier, options);
  const modules = info.modules ?? [];
  const failed = modules.find((m) => m.error);
  if (failed) {
    // Asking the server what it sent is only for hosts the plugin may import from: a module
    // of a host nobody granted must not get a request from otai either.
    const allowed = !options.importHosts ||
      (/^https?:/.test(failed.specifier) &&
        options.importHosts.includes(new URL(failed.specifier).host));
    const type = allowed ? await servedType(failed.specifier) : undefined;
    if (type && !CODE_TYPES.test(type)) {
      throw new FetchError(wrongType(specifier, failed.specifier, type));
    }
    const refused = options.offline ? undefined : await npmRefusal(specifier, failed.error!);
    throw new FetchError(refused ?? explain(specifier, failed.error!, options.offline === true));
  }
  const redirects = info.redirects ?? {};
  const resolvedUrl = follow(redirects, specifier);
  const totalBytes = modules.reduce((n, m) => n + (m.size ?? 0), 0);
  const maxBytes = options.maxBytes ?? 20_000_000;
  if (totalBytes > maxBytes) {
    throw new FetchError(
      `plugin "${specifier}" is ${(totalBytes / 1e6).toFixed(1)} MB, over the ` +
        `${(maxBytes / 1e6).toFixed(1)} MB limit; raise fetch.max_size_mb if that is expected`,
    );
  }
  const graphModules: GraphModule[] = modules.map((m) => ({
    specifier: m.specifier,
    size: m.size ?? 0,
    ...(m.local ? { local: m.local } : {}),
    dependencies: (m.dependencies ?? []).flatMap((d) =>
      d.code?.specifier ? [follow(redirects, d.code.specifier)] : []
    ),
  }));
  const npmPackages = Object.entries(info.npmPackages ?? {}).map(([name, id]) => `${name} ${id}`);
  const hashed = { modules: graphModules, npmPackages, resolvedUrl };
  const { hashes, legacy } = await hashGraph(specifier, hashed);
  const graph: PluginGraph = {
    specifier,
    resolvedUrl,
    integrity: integrityOf(hashes),
    moduleHashes: hashes,
    legacyIntegrity: legacy,
    modules: graphModules,
    npmPackages,
    redirects,
    totalBytes,
  };
  const jsr = specifier.startsWith("jsr:")
    ? Object.values(info.packages ?? {}).find((p) => p.startsWith(jsrName(specifier) + "@"))
    : undefined;
  if (jsr) graph.jsrVersion = jsr.slice(jsr.lastIndexOf("@") + 1);
  return graph;
}

/** What `deno info --json` says of a graph (the fields otai reads). */
interface DenoInfo {
  modules?: {
    specifier: string;
    local?: string;
    size?: number;
    error?: string;
    dependencies?: { code?: { specifier?: string } }[];
  }[];
  redirects?: Record<string, string>;
  packages?: Record<string, string>;
  npmPackages?: Record<string, unknown>;
}

/** Fetches the graph into the cache by running `deno info --json` in a subprocess. */
async function denoInfo(specifier: string, options: FetchOptions): Promise<DenoInfo> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env: Record<string, string> = { NO_COLOR: "1" };
  if (options.offline) {
    // Deno has no cache-only mode for `info`: route every request to a closed port instead,
    // so nothing leaves the machine and a module that is not cached fails fast.
    Object.assign(env, {
      HTTP_PROXY: "http://127.0.0.1:9",
      HTTPS_PROXY: "http://127.0.0.1:9",
      NO_PROXY: "",
    });
  }
  const args = [
    "info",
    "--json",
    "--no-lock",
    ...(options.reload ? [`--reload=${reloadTarget(specifier)}`] : []),
    ...(options.importHosts ? [`--allow-import=${options.importHosts.join(",")}`] : []),
    ...(options.denoArgs ?? []),
    specifier,
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const out = await child.output().finally(() => clearTimeout(timer));
  if (timedOut) {
    throw new FetchError(
      `fetching "${specifier}" timed out after ${timeoutMs / 1000}s; check that its host ` +
        "answers, or raise fetch.timeout in the config",
    );
  }
  if (!out.success) {
    const said = meaningfulLines(new TextDecoder().decode(out.stderr)).join(" ") ||
      "deno info failed";
    throw new FetchError(explain(specifier, said, options.offline === true));
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/**
 * `sha256-<hex>` over what identifies a graph's code (see `_module_hashes.ts`): each module's
 * content by its path inside its package or below the plugin's root, and its npm packages.
 *
 * @throws {FetchError} When a cached module was served as something other than code.
 */
export async function graphIntegrity(specifier: string, graph: HashedGraph): Promise<string> {
  return integrityOf(await moduleHashes(specifier, graph));
}

/** Where a specifier ends up after the redirects Deno followed. */
function follow(redirects: Record<string, string>, specifier: string): string {
  let url = specifier;
  for (let i = 0; i < 20 && redirects[url]; i++) url = redirects[url]!;
  return url;
}
