import { fileURLToPath } from "node:url";
import { loadConfig } from "../core/config/load_config.ts";
import type { CompiledConfig, CompiledStep } from "../core/config/compile_config.ts";
import type { PluginEntry } from "../core/config/schema.ts";
import { ConfigError } from "../core/errors.ts";
import type { Isolation } from "../core/contract.ts";
import { DEFAULT_ISOLATION } from "../loader/load_plugins.ts";
import { type LockEntry, lockPathFor } from "../loader/source/lockfile.ts";
import { configLock } from "../loader/source/source_options.ts";

/** How a plugin stands with `otai.lock`. */
export type LockStatus =
  | { status: "locked"; resolved: string; integrity: string; version?: string }
  | { status: "not-locked" }
  | { status: "no-lock-file" }
  | { status: "local" };

/** One `plugins:` entry as `--safe` lists it: what would be loaded, read from the config only. */
export interface SafePlugin {
  /** Its index under `plugins:`. */
  index: number;
  /** Its `from:` as written. */
  from: string;
  /** What would be imported: a local file's URL, else the specifier as written. */
  source: string;
  /** Its `as:`, or null when the prefix is its manifest's name (not read). */
  prefix: string | null;
  /** False when the entry says `enabled: false`. */
  enabled: boolean;
  /** How its code would be confined. */
  isolation: Isolation;
  /** The config's grant, as written (paths relative to the config's folder). */
  permissions: NonNullable<PluginEntry["permissions"]>;
  /** The `integrity:` the entry pins, if any. */
  integrity?: string;
  /** Its standing with `otai.lock`. */
  lock: LockStatus;
}

/** What `otai run --safe` and `otai check --safe` report. */
export interface SafeListing {
  /** The config file as named. */
  config: string;
  /** The lock file looked for. */
  lockFile: string;
  /** Every `plugins:` entry. */
  plugins: SafePlugin[];
  /** Each service entry: id and the `prefix:Name` it would create. */
  services: { id: string; use: string }[];
  /** Each runner: id and its top-level step ids. */
  runners: { id: string; steps: string[] }[];
}

/**
 * Reads and checks a config without loading any plugin: no plugin module is fetched, imported
 * or evaluated. What needs a plugin's manifest (whether a `use` exists, params schemas,
 * permissions requested) is not checked.
 *
 * @param file The config path.
 * @returns What would be loaded and run.
 * @throws {ConfigError} With every problem the config has on its own (and an unreadable lock).
 */
export async function safeListing(file: string): Promise<SafeListing> {
  const config = await loadConfig(file);
  const lockFile = lockPathFor(config.baseUrl);
  const lock: Record<string, LockEntry> | undefined = (await configLock(config))?.plugins;
  if (config.diagnostics.length) throw new ConfigError(config.diagnostics);
  return {
    config: file,
    lockFile: fileURLToPath(lockFile),
    plugins: config.plugins.flatMap(({ index, from, entry }) =>
      entry ? [safePlugin(config, index, entry, lock, from)] : []
    ),
    services: config.services.map((s) => ({ id: s.id, use: s.use })),
    runners: config.runners.map((r) => ({ id: r.id, steps: stepIds(r.steps) })),
  };
}

function safePlugin(
  config: CompiledConfig,
  index: number,
  entry: PluginEntry,
  lock: Record<string, LockEntry> | undefined,
  from: string,
): SafePlugin {
  const remote = /^(https?|jsr):/.test(from);
  const source = remote ? from : new URL(from, config.baseUrl).href;
  const locked = lock?.[from];
  const status: LockStatus = !remote ? { status: "local" } : locked
    ? {
      status: "locked",
      resolved: locked.resolved,
      integrity: locked.integrity,
      ...(locked.version ? { version: locked.version } : {}),
    }
    : lock
    ? { status: "not-locked" }
    : { status: "no-lock-file" };
  return {
    index,
    from,
    source,
    prefix: entry.as ?? null,
    enabled: entry.enabled !== false,
    isolation: entry.isolation ?? DEFAULT_ISOLATION,
    permissions: entry.permissions ?? {},
    ...(entry.integrity ? { integrity: entry.integrity } : {}),
    lock: status,
  };
}

function stepIds(steps: CompiledStep[]): string[] {
  return steps.map((s) => s.id);
}
