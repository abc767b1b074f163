import { fileURLToPath as fromFileUrl } from "node:url";
import { getLogger } from "@logtape/logtape";
import { loadConfig, type LoadConfigOptions } from "../core/config/load_config.ts";
import type { CompiledConfig, QueueSettings } from "../core/config/compile_config.ts";
import { Engine, type EngineOptions, type RunnerResult } from "../core/engine/engine.ts";
import type { Distribute, ItemOutcome, ItemRequest } from "../core/engine/distribute.ts";
import { ServiceHost } from "../core/engine/services.ts";
import type { EventStats } from "../core/engine/event_bus.ts";
import { Lifecycle } from "../core/engine/lifecycle.ts";
import { ConfigError, type Diagnostic } from "../core/errors.ts";
import type { OtaiEvent } from "../core/events.ts";
import { orchestrate, type OrchestrateOptions } from "../core/orchestrator.ts";
import { type Plan, planConfig, type PlannedRunner } from "../core/plan.ts";
import { type PluginHandle, Registry } from "../core/registry.ts";
import { grantedEnvValues, Secrets } from "../core/secrets.ts";
import { loadPlugins } from "./load_plugins.ts";
import { sourceOptions } from "./source/source_options.ts";
import { type WatchOptions, watchPlugins } from "./watch_plugins.ts";

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
  /** Values from the environment that must never be shown, with redaction of text and values. */
  secrets: Secrets;
  /**
   * After a stop request, how long work in flight may finish before the plugins are stopped
   * (`defaults.stop_grace`, 8 s unless set).
   */
  stopGraceMs: number;
  /** Services that could not be created (their steps will fail), by id, with the reason. */
  failedServices: ReadonlyMap<string, string>;
  /**
   * Runs every runner until done (or, for scheduled runners, until the signal aborts). The
   * first call runs every manifest's `start()` before any step.
   *
   * @throws {ConfigError} When a plugin's `start()` failed; then nothing ran, and the config
   * is shut down.
   */
  run(options?: RunConfigOptions): Promise<RunnerResult[]>;
  /**
   * Runs one item of a distributed `for_each` (a queue job) with the scope the scheduler sent;
   * the first call runs every manifest's `start()`, as `run` does.
   *
   * @throws {RangeError} When the config has no such runner or `for_each` step.
   */
  runItem(request: ItemRequest, options?: { signal?: AbortSignal }): Promise<ItemOutcome>;
  /** The Redis server of `queue:`, when the config has one. */
  queue?: QueueSettings;
  /** Each loaded plugin's module graph hash (`sha256-<hex>`, as in otai.lock), by prefix. */
  hashes: Record<string, string>;
  /**
   * Shuts down once: lets event handlers finish (2 s), closes the services (5 s each), runs
   * the started plugins' `stop()` (5 s), then stops every sandbox. Failures are warnings.
   */
  shutdown(): Promise<void>;
  /**
   * Watches the local plugins' code and reloads a changed plugin alone, until the signal
   * aborts (`otai run --watch`; see {@linkcode watchPlugins}).
   */
  watch(options: WatchOptions): Promise<void>;
  /** How events went for each plugin that subscribes to any, by prefix. */
  eventStats(): Map<string, EventStats>;
  /** Stops every plugin sandbox at once, without `stop()` or closing services. */
  close(): void;
  /** Same as {@linkcode close}, for `using`. */
  [Symbol.dispose](): void;
  /** Same as {@linkcode shutdown}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options for {@linkcode OpenConfig.run}. */
export interface RunConfigOptions extends OrchestrateOptions {
  /** Runs the items of `for_each` steps with `distribute: true` elsewhere (a queue). */
  distribute?: Distribute;
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
  const config = await loadConfig(file, options);
  const source = await sourceOptions(config, options);
  if (options.chdir) Deno.chdir(fromFileUrl(config.baseUrl));
  const services = new ServiceHost(config.locate);
  const loaded = await loadPlugins(config, {
    source,
    onLog: logRecord,
    onCall: (call) => services.call(call),
  });
  const close = () => loaded.plugins.forEach((p) => p.runtime.terminate());
  const registry = register(loaded.plugins, config, loaded.diagnostics);
  const { plan, diagnostics } = await planConfig(config, registry, loaded.failedPrefixes);
  const problems = [...config.diagnostics, ...loaded.diagnostics, ...diagnostics];
  if (problems.length || !plan) {
    close();
    throw new ConfigError(problems.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  const secrets = secretsOf(config, loaded.plugins);
  services.redact = (text) => secrets.redactText(text);
  await services.create(plan.services);
  const life = new Lifecycle(loaded.plugins, {
    locate: config.locate,
    services,
    redactText: (text) => secrets.redactText(text),
    redactValue: (value) => secrets.redactValue(value),
    terminate: close,
  });
  const engineOptions = {
    locate: config.locate,
    services,
    redact: (text: string) => secrets.redactText(text),
    onEvent: (event: OtaiEvent) => life.events.emit(event),
  };
  return {
    ...runFunctions(engineOptions, plan, life),
    file,
    plan,
    plugins: loaded.plugins,
    secrets,
    stopGraceMs: config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    failedServices: services.failed(),
    ...(config.queue ? { queue: config.queue } : {}),
    hashes: graphHashes(loaded.plugins, loaded.graphs),
    shutdown: () => life.shutdown(),
    watch: (opts) =>
      watchPlugins({ config, source, plugins: loaded.plugins, graphs: loaded.graphs }, opts),
    eventStats: () => life.events.stats(),
    close,
    [Symbol.dispose]: close,
    [Symbol.asyncDispose]: () => life.shutdown(),
  };
}

/** `run` and `runItem` of an opened config: the plugins' `start()` first, then the engine. */
function runFunctions(
  options: EngineOptions,
  plan: Plan,
  life: Lifecycle,
): Pick<OpenConfig, "run" | "runItem"> {
  const engine = new Engine(options);
  return {
    async run(opts) {
      await life.start();
      const distribute = opts?.distribute;
      const e = distribute ? new Engine({ ...options, distribute }) : engine;
      return await orchestrate(e, plan.runners, opts);
    },
    async runItem(request, opts) {
      await life.start();
      return await engine.runItem(runnerOf(plan, request.runner), request, opts);
    },
  };
}

/** The runner a queue job names. */
function runnerOf(plan: Plan, id: string): PlannedRunner {
  const runner = plan.runners.find((r) => r.id === id);
  if (runner) return runner;
  throw new RangeError(
    `Cannot run the item: the config has no runner "${id}"; run the same config as the scheduler`,
  );
}

/** Each plugin's module graph hash by prefix (what a queue worker compares with its jobs'). */
function graphHashes(
  plugins: PluginHandle[],
  graphs: ReadonlyMap<number, { integrity: string }>,
): Record<string, string> {
  return Object.fromEntries(plugins.flatMap((p) => {
    const integrity = graphs.get(p.index)?.integrity;
    return integrity ? [[p.prefix, integrity]] : [];
  }));
}

/** Below the 10 s a container runtime waits after SIGTERM before it kills. */
const DEFAULT_STOP_GRACE_MS = 8000;

/** A plugin's log record, in the host log under `otai.plugin.<prefix>`. */
function logRecord(
  prefix: string,
  level: "debug" | "info" | "warning" | "error",
  message: string,
  props?: object,
): void {
  getLogger(["otai", "plugin", prefix])[level === "warning" ? "warn" : level](
    message,
    props as Record<string, unknown>,
  );
}

/** The registry of the loaded plugins; a prefix taken twice is a problem at the second. */
function register(plugins: PluginHandle[], config: CompiledConfig, problems: Diagnostic[]) {
  const registry = new Registry();
  for (const p of plugins) {
    try {
      registry.add(p);
    } catch (e) {
      problems.push({
        ...config.locate(["plugins", p.index]),
        path: `plugins[${p.index}]`,
        message: (e as Error).message,
      });
    }
  }
  return registry;
}

/**
 * Values from `${VAR}` and of the environment variables granted to plugins, by name, by a
 * `PREFIX_*` pattern or by `env: true` (tokens, passwords).
 */
function secretsOf(config: CompiledConfig, plugins: PluginHandle[]): Secrets {
  const secrets = new Secrets(config.secrets);
  const env = Deno.env.toObject();
  for (const p of plugins) secrets.addAll(grantedEnvValues(p.effective.env, env));
  return secrets;
}
