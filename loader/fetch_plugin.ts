import { encodeHex } from "./_hex.ts";
import { meaningfulLines, stripAnsi } from "./_deno_stderr.ts";
import { jsrName } from "./_jsr.ts";

/** A remote plugin's module graph as Deno resolved and cached it. */
export interface PluginGraph {
  /** The specifier that was fetched. */
  specifier: string;
  /** The root module's URL after redirects and JSR resolution. */
  resolvedUrl: string;
  /** For a `jsr:` plugin: the exact version it resolved to. */
  jsrVersion?: string;
  /** `sha256-<hex>` over every module of the graph (specifier and content). */
  integrity: string;
  /** Every module: URL and size in bytes. */
  modules: { specifier: string; size: number }[];
  /** Redirects Deno followed, from → to. */
  redirects: Record<string, string>;
  /** Total size of the graph in bytes. */
  totalBytes: number;
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

/** A plugin could not be fetched: the message says why and what to do. */
export class FetchError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "FetchError";
  }
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
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) {
    const said = meaningfulLines(stderr).join(" ") || "deno info failed";
    throw new FetchError(explain(specifier, said, options));
  }
  // deno-lint-ignore no-explicit-any
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as any;
  const modules: { specifier: string; local?: string; size?: number; error?: string }[] =
    info.modules ?? [];
  const failed = modules.find((m) => m.error);
  if (failed) {
    const type = await servedType(failed.specifier);
    if (type && !CODE_TYPES.test(type)) {
      throw new FetchError(wrongType(specifier, failed.specifier, type));
    }
    throw new FetchError(explain(specifier, failed.error!, options));
  }
  const redirects: Record<string, string> = info.redirects ?? {};
  let resolvedUrl = specifier;
  for (let i = 0; i < 20 && redirects[resolvedUrl]; i++) resolvedUrl = redirects[resolvedUrl]!;
  const totalBytes = modules.reduce((n, m) => n + (m.size ?? 0), 0);
  const maxBytes = options.maxBytes ?? 20_000_000;
  if (totalBytes > maxBytes) {
    throw new FetchError(
      `plugin "${specifier}" is ${(totalBytes / 1e6).toFixed(1)} MB, over the ` +
        `${(maxBytes / 1e6).toFixed(1)} MB limit; raise fetch.max_size_mb if that is expected`,
    );
  }
  const lines: string[] = [];
  for (const m of modules) {
    if (!m.local) continue;
    const { content, contentType } = readCached(await Deno.readFile(m.local));
    if (contentType && !CODE_TYPES.test(contentType)) {
      throw new FetchError(wrongType(specifier, m.specifier, contentType));
    }
    lines.push(`${m.specifier} ${encodeHex(await crypto.subtle.digest("SHA-256", content))}`);
  }
  for (const [name, id] of Object.entries(info.npmPackages ?? {})) lines.push(`npm ${name} ${id}`);
  lines.sort();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(lines.join("\n")));
  const graph: PluginGraph = {
    specifier,
    resolvedUrl,
    integrity: `sha256-${encodeHex(digest)}`,
    modules: modules.map((m) => ({ specifier: m.specifier, size: m.size ?? 0 })),
    redirects,
    totalBytes,
  };
  const jsr = specifier.startsWith("jsr:")
    ? Object.values(info.packages ?? {}).find((p) =>
      typeof p === "string" && p.startsWith(jsrName(specifier) + "@")
    ) as string | undefined
    : undefined;
  if (jsr) graph.jsrVersion = jsr.slice(jsr.lastIndexOf("@") + 1);
  return graph;
}

function wrongType(specifier: string, module: string, type: string): string {
  return `Cannot fetch plugin "${specifier}": ${module} was served as "${type}", which is not ` +
    "JavaScript or TypeScript; check that the URL points at a module";
}

/** The content type a module URL is served with, asked only after Deno failed on it. */
async function servedType(url: string): Promise<string | undefined> {
  if (!/^https?:/.test(url)) return undefined;
  try {
    const res = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    return res.ok ? res.headers.get("content-type") ?? undefined : undefined;
  } catch {
    return undefined;
  }
}

const CODE_TYPES =
  /javascript|typescript|ecmascript|jsx|tsx|json|wasm|text\/plain|octet-stream|^$/i;
const METADATA = new TextEncoder().encode("\n// denoCacheMetadata=");

/**
 * A module as Deno cached it: the content, and the content type its server sent, read from the
 * metadata line Deno appends (absent in older cache layouts: then the whole file is content).
 */
function readCached(
  bytes: Uint8Array<ArrayBuffer>,
): { content: Uint8Array<ArrayBuffer>; contentType?: string } {
  const at = lastIndexOf(bytes, METADATA);
  if (at < 0) return { content: bytes };
  try {
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(at + METADATA.length)));
    const type = meta?.headers?.["content-type"];
    return {
      content: bytes.subarray(0, at),
      ...(typeof type === "string" ? { contentType: type } : {}),
    };
  } catch {
    return { content: bytes };
  }
}

function lastIndexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = haystack.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function reloadTarget(specifier: string): string {
  if (specifier.startsWith("jsr:")) return `jsr:${jsrName(specifier)}`;
  return specifier;
}

function explain(specifier: string, error: string, options: FetchOptions): string {
  const what = `Cannot fetch plugin "${specifier}"`;
  const imported = /Requires import access to "([^"]+)"/.exec(error);
  if (imported) {
    return `Cannot load plugin "${specifier}": it imports code from "${
      imported[1]
    }" (directly or ` +
      `by a redirect), which the config does not grant; if you trust it, add "${imported[1]}" ` +
      "under permissions.import";
  }
  if (
    options.offline && /127\.0\.0\.1:9|proxy|connect|refused|failed|not found|sending/i.test(error)
  ) {
    return `${what}: it is not in the local cache and --offline forbids the network; ` +
      'run "otai fetch <config>" on a machine that is online and copy the cache (DENO_DIR)';
  }
  if (/integrity|checksum/i.test(error)) {
    return `${what}: its content does not match the checksum its registry published (${
      oneLine(error)
    }); the package may have been tampered with; do not use it until its publisher ` +
      "explains the change";
  }
  if (/Module not found|404|not found/i.test(error)) {
    return `${what}: ${oneLine(error)}; check the URL, package name and version`;
  }
  if (/media type|Unknown module|content-type/i.test(error)) {
    return `${what}: the server did not send JavaScript or TypeScript (${oneLine(error)}); ` +
      "check that the URL points at a module";
  }
  if (/error sending request|connect|dns|refused|unreachable/i.test(error)) {
    return `${what}: its host could not be reached (${oneLine(error)}); check the network, ` +
      'or run with --offline after "otai fetch"';
  }
  return `${what}: ${oneLine(error)}`;
}

function oneLine(text: string): string {
  return stripAnsi(text).split("\n").map((l) => l.trim()).filter(Boolean)
    .join(" ").slice(0, 300);
}
