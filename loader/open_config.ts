import { fileURLToPath as fromFileUrl } from "node:url";
import { getLogger } from "@logtape/logtape";
import { loadConfig, type LoadConfigOptions } from "../core/config/load_config.ts";
import { Engine, type RunnerResult } from "../core/engine.ts";
import { ConfigError } from "../core/errors.ts";
import { orchestrate, type OrchestrateOptions } from "../core/orchestrator.ts";
import { type Plan, planConfig } from "../core/plan.ts";
import { type PluginHandle, Registry } from "../core/registry.ts";
import { loadPlugins } from "./load_plugins.ts";
import type { LoadedConfig } from "../core/config/load_config.ts";
import { parseDuration } from "../core/duration.ts";
import { hostModuleFlags, STARTUP_CWD } from "./_host_flags.ts";
import { lockPathFor, readLockfile } from "./lockfile.ts";
import type { SourceOptions } from "./_resolve_source.ts";

/** Options for {@linkcode openConfig}. */
export interface OpenConfigOptions extends LoadConfigOptions {
  /**
   * Make the config file's directory the working directory, so relative paths in params mean
   * what they mean in permission grants. The CLI does.
   */
  chdir?: boolean;
  /** Use Deno's cache only for remote plugins; never reach the network. */
  offline?: boolean;
  /** Refuse remote plugins that otai.lock does not list. */
  frozen?: boolean;
  /** Read otai.lock beside the config (default true). */
  lock?: boolean;
}

/** A config with its plugins loaded in their sandboxes and its services created. */
export interface OpenConfig {
  /** The config file as named. */
  file: string;
  /** The plan it runs. */
  plan: Plan;
  /** The loaded plugins. */
  plugins: PluginHandle[];
  /** Values from the environment that must never be shown. */
  secrets: ReadonlySet<string>;
  /** Services that could not be created (their steps will fail), by id, with the reason. */
  failedServices: ReadonlyMap<string, string>;
  /** Runs every runner until done (or, for scheduled runners, until the signal aborts). */
  run(options?: OrchestrateOptions): Promise<RunnerResult[]>;
  /** Stops every plugin sandbox. */
  close(): void;
  /** Same as {@linkcode close}, for `using`. */
  [Symbol.dispose](): void;
}

/**
 * Reads a config, loads its plugins into their sandboxes, checks everything and creates its
 * services. Every problem found is reported at once.
 *
 * @param file The config path.
 * @param options Environment and text overrides.
 * @returns The opened config.
 * @throws {ConfigError} Listing every config and plugin-load problem, each with line and column.
 *
 * @example
 * ```ts ignore
 * import { openConfig } from "@otai/cli";
 * using app = await openConfig("examples/hello/config.yml");
 * const results = await app.run();
 * ```
 */
export async function openConfig(
  file: string,
  options: OpenConfigOptions = {},
): Promise<OpenConfig> {
  const loaded = await loadConfig(file, options);
  const source = await sourceOptions(loaded, options);
  if (options.chdir) Deno.chdir(fromFileUrl(loaded.baseUrl));
  const ready: { engine?: Engine } = {};
  const { plugins, diagnostics, failedPrefixes } = await loadPlugins(loaded, {
    source,
    onLog: (prefix, level, message, props) =>
      getLogger(["otai", "plugin", prefix])[level === "warning" ? "warn" : level](
        message,
        props as Record<string, unknown>,
      ),
    onCall: (call) =>
      ready.engine?.callService(call) ?? Promise.reject(new Error("the engine is not ready")),
  });
  const close = () => plugins.forEach((p) => p.runtime.terminate());
  const registry = new Registry();
  for (const p of plugins) {
    try {
      registry.add(p);
    } catch (e) {
      diagnostics.push({
        ...loaded.locate(["plugins", p.index]),
        path: `plugins[${p.index}]`,
        message: (e as Error).message,
      });
    }
  }
  const planned = await planConfig(loaded, registry, failedPrefixes);
  const all = [...loaded.diagnostics, ...diagnostics, ...planned.diagnostics];
  if (all.length || !planned.plan) {
    close();
    all.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(dedupe(all));
  }
  const plan = planned.plan;
  // Values of environment variables granted to plugins are secrets too (tokens, passwords).
  const secrets = new Set(loaded.secrets);
  for (const p of plugins) {
    if (!Array.isArray(p.effective.env)) continue;
    for (const name of p.effective.env) {
      const value = name.includes("*") ? undefined : Deno.env.get(name);
      if (value && value.length >= 4) secrets.add(value);
    }
  }
  const engine = new Engine(plan, { locate: loaded.locate });
  ready.engine = engine;
  await engine.start();
  return {
    file,
    plan,
    plugins,
    secrets,
    failedServices: engine.failedServices(),
    run: (opts) => orchestrate(engine, plan.runners, opts),
    close,
    [Symbol.dispose]: close,
  };
}

/**
 * How remote plugins of a config are fetched: its `fetch:` limits, its lock, the CLI's modes,
 * and this process's module resolution flags.
 */
export async function sourceOptions(
  loaded: LoadedConfig,
  options: { offline?: boolean; frozen?: boolean; lock?: boolean } = {},
): Promise<SourceOptions> {
  const fetch = loaded.config?.fetch;
  const source: SourceOptions = {
    offline: options.offline === true,
    frozen: options.frozen === true,
    denoArgs: hostModuleFlags(),
    cwd: STARTUP_CWD,
  };
  if (fetch?.timeout !== undefined) source.timeoutMs = parseDuration(fetch.timeout);
  if (fetch?.max_size_mb !== undefined) source.maxBytes = fetch.max_size_mb * 1e6;
  if (options.lock !== false) {
    try {
      source.lock = await readLockfile(lockPathFor(loaded.baseUrl));
    } catch (e) {
      loaded.diagnostics.push({
        file: loaded.file,
        line: 1,
        column: 1,
        path: "",
        message: (e as Error).message,
      });
    }
  }
  return source;
}

function dedupe<T extends { line: number; column: number; message: string }>(ds: T[]): T[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.line}:${d.column}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
