import { loadConfig } from "../core/config/load_config.ts";
import { pluginEntrySchema } from "../core/config/schema.ts";
import { ConfigError, type Diagnostic } from "../core/errors.ts";
import type { PluginSource } from "../core/registry.ts";
import { sourceOptions } from "../loader/source/source_options.ts";
import { type Lockfile, lockPathFor, writeLockfile } from "../loader/source/lockfile.ts";
import { resolveSource } from "../loader/source/resolve_source.ts";
import { jsrName } from "../loader/source/jsr.ts";

/** One remote plugin as `otai lock` or `otai fetch` handled it. */
export interface FetchedPlugin {
  /** The config's `from:`. */
  from: string;
  /** What was fetched. */
  source: PluginSource;
  /** Modules in its graph. */
  modules: number;
  /** Bytes in its graph. */
  bytes: number;
  /** Each module's content hash by its identity (for otai.lock). */
  hashes: Record<string, string>;
}

/** Options for {@linkcode fetchConfigPlugins}. */
export interface FetchConfigOptions {
  /** Re-resolve versions and write otai.lock (otai lock); else honour the lock (otai fetch). */
  lock?: boolean;
  /** Use the cache only. */
  offline?: boolean;
}

/**
 * Fetches every enabled remote plugin of a config into Deno's cache (`otai fetch`), or
 * re-resolves them and writes `otai.lock` beside the config (`otai lock`). No plugin code runs.
 *
 * @returns What was fetched and, with `lock`, the lock file URL.
 * @throws {ConfigError} Listing every plugin that could not be fetched, by its config line.
 */
export async function fetchConfigPlugins(
  file: string,
  options: FetchConfigOptions = {},
): Promise<{ plugins: FetchedPlugin[]; lockFile?: URL }> {
  const loaded = await loadConfig(file);
  if (loaded.diagnostics.length) throw new ConfigError(loaded.diagnostics);
  const base = await sourceOptions(loaded, {
    lock: !options.lock,
    offline: options.offline === true,
  });
  if (options.lock) base.reload = true;
  const diagnostics: Diagnostic[] = [];
  const plugins: FetchedPlugin[] = [];
  const entries = loaded.config?.plugins ?? [];
  await Promise.all(entries.map(async (raw, index) => {
    const entry = pluginEntrySchema.parse(raw);
    if (entry.enabled === false || !/^(https?|jsr):/.test(entry.from)) return;
    try {
      const r = await resolveSource(entry, loaded.baseUrl, base);
      plugins[index] = {
        from: entry.from,
        source: r.source,
        modules: r.graph?.modules.length ?? 0,
        hashes: r.graph?.moduleHashes ?? {},
        bytes: r.graph?.totalBytes ?? 0,
      };
    } catch (e) {
      diagnostics.push({
        ...loaded.locate(["plugins", index, "from"]),
        path: `plugins[${index}]`,
        message: (e as Error).message,
      });
    }
  }));
  if (diagnostics.length) throw new ConfigError(diagnostics);
  const fetched = plugins.filter(Boolean);
  if (!options.lock) return { plugins: fetched };
  const lock: Lockfile = { version: 1, plugins: {} };
  for (const p of fetched) {
    // A workspace member is code on disk, like a local plugin: nothing to lock.
    if (p.source.resolved?.startsWith("file:")) continue;
    lock.plugins[p.from] = {
      resolved: p.source.resolved ?? p.from,
      ...(p.source.version ? { version: p.source.version } : {}),
      ...(p.from.startsWith("jsr:") ? { package: jsrName(p.from) } : {}),
      integrity: p.source.integrity!,
      modules: p.hashes,
    };
  }
  const lockFile = lockPathFor(loaded.baseUrl);
  await writeLockfile(lockFile, lock);
  return { plugins: fetched, lockFile };
}
