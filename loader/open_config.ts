import { fileURLToPath as fromFileUrl } from "node:url";
import { getLogger } from "@logtape/logtape";
import { loadConfig, type LoadConfigOptions } from "../core/config/load_config.ts";
import type { CompiledConfig } from "../core/config/compile_config.ts";
import { Engine, type RunnerResult } from "../core/engine/engine.ts";
import { ServiceHost } from "../core/engine/services.ts";
import { ConfigError, type Diagnostic } from "../core/errors.ts";
import { orchestrate, type OrchestrateOptions } from "../core/orchestrator.ts";
import { type Plan, planConfig } from "../core/plan.ts";
import { type PluginHandle, Registry } from "../core/registry.ts";
import { grantedEnvValues, Secrets } from "../core/secrets.ts";
import { loadPlugins } from "./load_plugins.ts";
import { sourceOptions } from "./source/source_options.ts";

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
  const engine = new Engine({
    locate: config.locate,
    services,
    redact: (text) => secrets.redactText(text),
  });
  return {
    file,
    plan,
    plugins: loaded.plugins,
    secrets,
    stopGraceMs: config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    failedServices: services.failed(),
    run: (opts) => orchestrate(engine, plan.runners, opts),
    close,
    [Symbol.dispose]: close,
  };
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
