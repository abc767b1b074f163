import { ConfigError, type Diagnostic, type SourceLocation } from "../errors.ts";
import { type Config, configSchema } from "./schema.ts";
import { type ConfigPath, parseConfigYaml } from "./_yaml.ts";
import { issuesToDiagnostics } from "./_schema_issues.ts";
import { checkConfig } from "./_check.ts";

/** A config read from a file, with positions for later messages. */
export interface LoadedConfig {
  /** The file as the user named it (used in messages). */
  file: string;
  /** The directory relative paths in the config resolve against, as a file URL ending in "/". */
  baseUrl: URL;
  /** The validated config; undefined when `diagnostics` hold schema errors. */
  config: Config | undefined;
  /** The raw data, for checks that must go on beside schema errors. */
  raw: unknown;
  /** Every problem found so far. */
  diagnostics: Diagnostic[];
  /** Values substituted from the environment; redacted wherever shown. */
  secrets: ReadonlySet<string>;
  /** Where a config path sits in the file. */
  locate(path: ConfigPath): SourceLocation;
}

/** Options for {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** Reads an environment variable; default `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** The config text, when it is not to be read from `file`. */
  text?: string;
}

/**
 * Reads and checks a config file. Problems are collected, not thrown, so callers can add
 * their own (e.g. plugin load errors) and report all at once with {@linkcode ConfigError}.
 *
 * @param file The config path.
 * @param options Environment and text overrides.
 * @returns The loaded config with its diagnostics.
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
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const yaml = parseConfigYaml(text, file, env);
  const diagnostics = [...yaml.diagnostics];
  let config: Config | undefined;
  if (yaml.data !== undefined) {
    if (yaml.data === null || typeof yaml.data !== "object" || Array.isArray(yaml.data)) {
      diagnostics.push({
        ...yaml.locate([]),
        path: "",
        message: "the config must be a mapping with at least orchestrator.runners",
      });
    } else {
      const parsed = configSchema.safeParse(yaml.data);
      if (parsed.success) config = parsed.data;
      else diagnostics.push(...issuesToDiagnostics(parsed.error.issues, yaml, configSchema));
      diagnostics.push(...checkConfig(yaml));
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  const absolute = new URL(file, `file://${Deno.cwd()}/`);
  return {
    file,
    baseUrl: new URL(".", absolute),
    config: diagnostics.length ? undefined : config,
    raw: yaml.data,
    diagnostics,
    secrets: yaml.secrets,
    locate: yaml.locate,
  };
}
