import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../core/config/types.ts";
import type { RunnerResult } from "../core/engine/engine.ts";

/** Options for {@linkcode runConfig}. */
export interface RunConfigOptions {
  /**
   * The folder the config is taken to sit in: relative `from:` paths and permission grants
   * resolve against it. Default: the working directory. Nothing is written there.
   */
  dir?: string | URL;
  /** Values for `${VAR}` in the config, before the process environment. */
  env?: Record<string, string>;
  /** Stops the runners (scheduled runners run until it aborts). */
  signal?: AbortSignal;
}

/**
 * Runs a config given as an object, exactly as `otai run` runs a file: every plugin is loaded
 * in its own sandbox under the permissions the config grants it (its manifest read with none),
 * services are created, and every runner runs once (scheduled ones until `signal` aborts).
 * No file is written; `otai.lock` is not read.
 *
 * @param config The config, as `config.yml` would hold it.
 * @param options Where it is taken to sit, `${VAR}` values, a stop signal.
 * @returns Each runner's result, as `otai run --json` shows them under `runners`.
 * @throws {ConfigError} Listing every config and plugin-load problem, as `otai check` does.
 *
 * @example
 * ```ts ignore
 * import { runConfig } from "@otai/cli/testing";
 * const [main] = await runConfig({
 *   plugins: [{ from: import.meta.resolve("./mod.ts"), permissions: { env: ["ACME_TOKEN"] } }],
 *   orchestrator: { runners: [{ id: "main", run: [{ id: "go", use: "acme:Go" }] }] },
 * });
 * // main.status === "succeeded"
 * ```
 */
export async function runConfig(
  config: Config,
  options: RunConfigOptions = {},
): Promise<RunnerResult[]> {
  const dir = options.dir instanceof URL ? fileURLToPath(options.dir) : options.dir ?? Deno.cwd();
  const env = options.env ?? {};
  // Loaded when used: the loader reads the environment as it loads, and a plugin's unit tests
  // that import @otai/cli/testing for testPipe alone may run with no permissions at all.
  const { openConfig } = await import("../loader/open_config.ts");
  // A name the config is never read from: its text is given, and no lock is looked for.
  using app = await openConfig(join(dir, "config.yml"), {
    text: JSON.stringify(config),
    lock: false,
    env: (name) => Object.hasOwn(env, name) ? env[name] : Deno.env.get(name),
  });
  return await app.run(options.signal ? { signal: options.signal } : {});
}
