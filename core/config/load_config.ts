import { ConfigError } from "../errors.ts";
import { compileConfig, type CompileConfigOptions, type CompiledConfig } from "./compile_config.ts";

/** A config read from a file: compiled, with every problem found in it. */
export type LoadedConfig = CompiledConfig;

/** Options for {@linkcode loadConfig}. */
export interface LoadConfigOptions extends CompileConfigOptions {
  /** The config text, when it is not to be read from `file`. */
  text?: string;
}

/**
 * Reads a config file and compiles it in one pass. Problems are collected, not thrown, so
 * callers can add their own (e.g. plugin load errors) and report all at once with
 * {@linkcode ConfigError}.
 *
 * @param file The config path.
 * @param options Environment and text overrides.
 * @returns The compiled config with its diagnostics.
 * @throws {ConfigError} When the file cannot be read at all.
 *
 * @example
 * ```ts
 * import { loadConfig } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const text = "orchestrator:\n  runners:\n    - id: main\n      run: { id: a, use: x:Y }\n";
 * const loaded = await loadConfig("c.yml", { text });
 * strictEqual(loaded.diagnostics.length, 0);
 * strictEqual(loaded.config?.orchestrator.runners[0]?.id, "main");
 * ```
 */
export async function loadConfig(
  file: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  let text = options.text;
  if (text === undefined) {
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      throw new ConfigError([{
        file,
        line: 1,
        column: 1,
        path: "",
        message: `cannot read the config file: ${(e as Error).message}; check the path`,
      }], { cause: e });
    }
  }
  return compileConfig(text, file, options);
}
