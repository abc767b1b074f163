import { dirname } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { CompiledConfig } from "../core/config/compile_config.ts";
import type { PluginEntry } from "../core/config/schema.ts";
import type { PermissionSet, ServiceCall } from "../core/contract.ts";
import type { ManifestInfo } from "../core/manifest.ts";
import type { Diagnostic } from "../core/errors.ts";
import type { PluginHandle } from "../core/registry.ts";
import { SupervisedPlugin } from "./sandbox/supervisor.ts";
import { runsCachedOnly, sandboxModuleFlags } from "./host_flags.ts";
import { envGranted } from "../core/secrets.ts";
import { type ResolvedSource, resolveSource, type SourceOptions } from "./source/resolve_source.ts";
import { readManifest } from "./read_manifest.ts";
import { beyondHost, checkGrantPaths, grantPermissions } from "./_grant.ts";
import { graphIntegrity, type PluginGraph } from "./source/fetch_plugin.ts";

/** Hooks from the host into every plugin sandbox. */
export interface LoadPluginsOptions {
  /** A record a plugin logged. */
  onLog?: (
    prefix: string,
    level: "debug" | "info" | "warning" | "error",
    message: string,
    props?: object,
  ) => void;
  /** A service call a plugin made. */
  onCall?: (call: ServiceCall) => Promise<unknown>;
  /** How remote plugins are fetched: lock, frozen, offline, limits. */
  source?: SourceOptions;
}

/** How loading one `plugins:` entry went, for `otai plugins list`. */
export interface PluginStatus {
  /** Its index under `plugins:`. */
  index: number;
  /** Its `from:`. */
  from: string;
  /** Loaded, failed, or disabled in the config. */
  status: "loaded" | "failed" | "disabled";
  /** Why it failed. */
  error?: string;
  /** The loaded plugin. */
  plugin?: PluginHandle;
}

/** What {@linkcode loadPlugins} found. */
export interface LoadedPlugins {
  /** The plugins that loaded. */
  plugins: PluginHandle[];
  /** A diagnostic for each plugin that could not be loaded. */
  diagnostics: Diagnostic[];
  /** Prefixes of those ("" when unknown), so that steps using them are not reported twice. */
  failedPrefixes: Set<string>;
  /** One status per `plugins:` entry. */
  statuses: PluginStatus[];
}

/**
 * Loads every enabled plugin of a config: evaluates its module in a sandbox with no permissions
 * to read its manifest, checks the manifest and API range, computes its effective permissions
 * (request ∩ grant) and starts its sandbox under exactly those.
 *
 * @param config The compiled config.
 * @param options Hooks into the sandboxes and how remote plugins are fetched.
 * @returns The loaded plugins, their statuses and the problems found.
 */
export async function loadPlugins(
  config: CompiledConfig,
  options: LoadPluginsOptions = {},
): Promise<LoadedPlugins> {
  const out: LoadedPlugins = {
    plugins: [],
    diagnostics: [],
    failedPrefixes: new Set(),
    statuses: [],
  };
  // Every plugin's source is resolved at once; each plugin then waits for all of them, so
  // that no grant can be given that reaches another plugin's code.
  const sources = new Map(
    config.plugins.flatMap(({ index, entry }) =>
      entry && entry.enabled !== false
        ? [[index, resolveSource(entry, config.baseUrl, options.source)] as const]
        : []
    ),
  );
  const code = Promise.allSettled(sources.values()).then((all) => codeFiles(config, all));
  const results = await Promise.all(config.plugins.map(async ({ index, from, entry }) => {
    if (!entry) {
      return { index, from, status: "failed", error: "invalid entry (see config errors)" } as const;
    }
    if (entry.enabled === false) return { index, from, status: "disabled" } as const;
    try {
      return {
        index,
        from,
        status: "loaded",
        plugin: await loadOne(config, entry, index, {
          ...options,
          source: sources.get(index)!,
          code,
        }),
      } as const;
    } catch (e) {
      const prefix = e instanceof LoadError ? e.prefix : entry.as;
      out.failedPrefixes.add(prefix ?? ""); // "": a plugin whose prefix is unknown failed
      out.diagnostics.push({
        ...config.locate(["plugins", index, "from"]),
        path: `plugins[${index}]`,
        message: (e as Error).message,
      });
      return { index, from, status: "failed", error: (e as Error).message } as const;
    }
  }));
  for (const r of results) {
    if ("plugin" in r) out.plugins.push(r.plugin);
    out.statuses.push(r);
  }
  return out;
}

async function loadOne(
  config: CompiledConfig,
  entry: PluginEntry,
  index: number,
  options: Omit<LoadPluginsOptions, "source"> & {
    source: Promise<ResolvedSource>;
    code: Promise<string[]>;
  },
): Promise<PluginHandle> {
  let resolved;
  try {
    resolved = await options.source;
  } catch (e) {
    throw new LoadError(entry.as, (e as Error).message);
  }
  const url = resolved.importSpecifier;
  const isolation = entry.isolation ?? DEFAULT_ISOLATION;
  if (isolation === "worker" && !runsCachedOnly()) {
    throw new LoadError(
      entry.as,
      `Cannot load plugin "${entry.as ?? entry.from}" with isolation: worker: Worker sandboxes ` +
        "load code through this process's module loader, which may fetch from the network " +
        "unless Deno runs with --cached-only; run it so (the otai command line does), or use " +
        "isolation: process",
    );
  }
  const where = {
    isolation,
    ...(entry.limits?.memory_mb ? { memoryMb: entry.limits.memory_mb } : {}),
    denoArgs: sandboxModuleFlags(),
    cwd: fromFileUrl(config.baseUrl),
  };
  const m = await manifestOf(url, entry, { ...where, importHosts: resolved.importHosts });
  const prefix = entry.as ?? m.name;
  const granted = grantPermissions({
    name: m.name,
    index,
    request: m.permissions ?? {},
    grant: entry.permissions ?? {},
    base: fromFileUrl(config.baseUrl),
    importHosts: resolved.importHosts,
    where: config.locate(["plugins", index]),
  });
  if ("refusal" in granted) throw new LoadError(prefix, granted.refusal);
  const { effective } = granted;
  const unsafe = await checkGrantPaths(effective, await options.code);
  if (unsafe) {
    const at = config.locate(["plugins", index, "permissions"]);
    throw new LoadError(
      prefix,
      `Cannot load plugin "${m.name}": ${unsafe} (${at.file}:${at.line})`,
    );
  }
  const graph = resolved.graph;
  if (isolation === "none") checkUnconfined(entry, m.name, prefix, effective);
  let runtime: SupervisedPlugin;
  try {
    ({ plugin: runtime } = await SupervisedPlugin.start({
      url,
      permissions: effective,
      ...where,
      env: grantedEnv(effective.env),
      ...(entry.limits?.result_mb ? { maxResultBytes: entry.limits.result_mb * 1e6 } : {}),
      ...(config.killAfterMs ? { killAfterMs: config.killAfterMs } : {}),
      onLog: (level, message, props) => options.onLog?.(prefix, level, message, props),
      ...(graph ? { verify: () => changedSince(graph) } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    }));
  } catch (e) {
    throw new LoadError(prefix, `Cannot start plugin "${m.name}": ${explainLoadError(e as Error)}`);
  }
  return {
    prefix,
    index,
    url,
    source: resolved.source,
    manifest: m,
    effective,
    isolation,
    runtime,
  };
}

/** The plugin's checked manifest, read with no permissions. */
async function manifestOf(
  url: string,
  entry: PluginEntry,
  where: Parameters<typeof readManifest>[1],
): Promise<ManifestInfo> {
  let read;
  try {
    read = await readManifest(url, where);
  } catch (e) {
    throw new LoadError(
      entry.as,
      `Cannot load plugin "${entry.as ?? entry.from}": ${explainLoadError(e as Error)}`,
    );
  }
  if (read.manifest) return read.manifest;
  const declared = read.description.name;
  const named = entry.as ?? (typeof declared === "string" ? declared : undefined);
  throw new LoadError(
    named,
    `Cannot load plugin "${named ?? entry.from}": its manifest is invalid: ${
      read.problems.join("; ")
    }`,
  );
}

/** How plugins are confined when their entry does not say: a subprocess, the mode that holds. */
export const DEFAULT_ISOLATION = "process";

/** The environment variables a grant lets a plugin read, with their values. */
function grantedEnv(grant: boolean | string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) => envGranted(grant, name)),
  );
}

/**
 * What no grant may reach: the folders of the config's local plugins, and every local module of
 * every plugin's vetted graph (wherever it lies).
 */
function codeFiles(
  config: CompiledConfig,
  resolved: PromiseSettledResult<ResolvedSource>[],
): string[] {
  const files = resolved.flatMap((r) =>
    r.status === "fulfilled"
      ? (r.value.graph?.modules ?? []).flatMap((m) =>
        m.specifier.startsWith("file:") ? [fromFileUrl(m.specifier)] : []
      )
      : []
  );
  const folders = config.plugins.flatMap(({ entry }) => {
    if (!entry || /^(https?|jsr):/.test(entry.from)) return [];
    const url = entry.from.startsWith("file:")
      ? new URL(entry.from)
      : new URL(entry.from, config.baseUrl);
    return [dirname(fromFileUrl(url))];
  });
  return [...new Set([...folders, ...files])];
}

/** Why a plugin's code no longer matches what was vetted, or undefined when it does. */
async function changedSince(graph: PluginGraph): Promise<string | undefined> {
  let now: string;
  try {
    now = await graphIntegrity(graph.specifier, graph);
  } catch (e) {
    return `its code cannot be read any more (${(e as Error).message})`;
  }
  return now === graph.integrity
    ? undefined
    : "its code changed on disk since it was loaded; review the change, then start otai again";
}

/** `isolation: none` needs `trusted: true`, and gives nothing this process does not hold. */
function checkUnconfined(
  entry: PluginEntry,
  name: string,
  prefix: string,
  effective: PermissionSet,
): void {
  const beyond = beyondHost(effective);
  if (entry.trusted === true && !beyond) return;
  const why = beyond
    ? `it would get ${beyond}, which this otai process itself does not have`
    : "it is not marked trusted: true";
  throw new LoadError(
    prefix,
    `Cannot load plugin "${name}" with isolation: none: ${why}; use isolation: worker or process`,
  );
}

/** A plugin that could not be loaded, with the prefix it would have had when known. */
class LoadError extends Error {
  constructor(readonly prefix: string | undefined, message: string) {
    super(message);
  }
}

function explainLoadError(e: Error): string {
  const message = e.message;
  if (/Requires \w+ access/.test(message)) {
    return `${message.replace(/, run again with.*$/, "")}: the module's top-level code ran with ` +
      "no permissions; move work that needs permissions into create() or run()";
  }
  return message;
}
