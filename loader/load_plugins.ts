import { dirname } from "node:path";
import { getLogger } from "@logtape/logtape";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { CompiledConfig } from "../core/config/compile_config.ts";
import type { PluginEntry } from "../core/config/schema.ts";
import type { Isolation, PermissionSet, ServiceCall } from "../core/contract.ts";
import type { Diagnostic } from "../core/errors.ts";
import type { PluginHandle } from "../core/registry.ts";
import type { ManifestInfo } from "../core/manifest.ts";
import { sandboxModuleFlags } from "./host_flags.ts";
import { type ResolvedSource, resolveSource, type SourceOptions } from "./source/resolve_source.ts";
import type { PluginGraph } from "./source/fetch_plugin.ts";
import { beyondHost, checkGrantPaths, grantPermissions } from "./_grant.ts";
import {
  LoadError,
  manifestOf,
  type PluginLogSink,
  requireCachedOnlyHost,
  startRuntime,
} from "./_start_plugin.ts";

const log = getLogger(["otai", "loader"]);

/** Hooks from the host into every plugin sandbox. */
export interface LoadPluginsOptions {
  /** A record a plugin logged. */
  onLog?: PluginLogSink;
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
  /** The vetted graph of each loaded plugin, by its index under `plugins:`. */
  graphs: Map<number, PluginGraph>;
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
    graphs: new Map(),
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
    const graph = "plugin" in r ? (await sources.get(r.index))?.graph : undefined;
    if (graph) out.graphs.set(r.index, graph);
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
  const where = sandboxPlace(config, entry);
  const { isolation } = where;
  if (isolation === "worker") requireCachedOnlyHost(entry);
  const m = await manifestOf(url, entry, {
    ...where,
    importHosts: resolved.importHosts,
    ...(resolved.graph ? { integrity: resolved.graph.integrity } : {}),
  });
  const prefix = entry.as ?? m.name;
  const published = resolved.source.version;
  if (published && published !== m.version) {
    log.warn(
      "Plugin {prefix}: its manifest says version {manifest}, its package is {published}; " +
        "the plugin's author should publish a manifest with the package's version",
      { prefix, manifest: m.version, published },
    );
  }
  const effective = await effectiveGrant(config, entry, index, m, resolved, options.code);
  const graph = resolved.graph;
  if (isolation === "none") checkUnconfined(entry, m.name, prefix, effective);
  const runtime = await startRuntime(url, m.name, prefix, effective, where, {
    entry,
    config,
    options,
    ...(graph ? { graph } : {}),
  });
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

/** Where a plugin's sandboxes run: isolation, memory limit, Deno flags, working directory. */
export function sandboxPlace(config: CompiledConfig, entry: PluginEntry): {
  isolation: Isolation;
  memoryMb?: number;
  denoArgs: string[];
  cwd: string;
} {
  return {
    isolation: entry.isolation ?? DEFAULT_ISOLATION,
    ...(entry.limits?.memory_mb ? { memoryMb: entry.limits.memory_mb } : {}),
    denoArgs: sandboxModuleFlags(),
    cwd: fromFileUrl(config.baseUrl),
  };
}

/**
 * The plugin's effective permissions: its request within its grant, on paths that are safe
 * (no grant reaches any of the `code` files).
 *
 * @throws {LoadError} When the request goes beyond the grant, or the grant reaches code.
 */
export async function effectiveGrant(
  config: CompiledConfig,
  entry: PluginEntry,
  index: number,
  m: ManifestInfo,
  resolved: ResolvedSource,
  code: Promise<string[]>,
): Promise<PermissionSet> {
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
  const unsafe = await checkGrantPaths(effective, await code);
  if (unsafe) {
    const at = config.locate(["plugins", index, "permissions"]);
    throw new LoadError(
      prefix,
      `Cannot load plugin "${m.name}": ${unsafe} (${at.file}:${at.line})`,
    );
  }
  return effective;
}

/** How plugins are confined when their entry does not say: a subprocess, the mode that holds. */
export const DEFAULT_ISOLATION = "process";

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
