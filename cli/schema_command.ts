import { loadConfig } from "../core/config/load_config.ts";
import { configJsonSchema } from "../core/config/json_schema.ts";
import { ConfigError } from "../core/errors.ts";
import { escapeControl } from "./_text.ts";
import { print, secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";
import { paramsSchemas } from "./_params_schemas.ts";

/**
 * `otai schema [config.yml]`: prints the JSON Schema of a config. Given a config, the params of
 * the pipes and services it uses are checked against the schemas their plugins declare (each
 * plugin's manifest is read with no permissions); a plugin that cannot be read is named on
 * stderr and its params are left open.
 *
 * @param file The config, or "" for the schema of every config.
 * @param modes How remote plugins may be fetched.
 * @returns 0.
 * @throws {ConfigError} When the config has problems (each with its line and column).
 */
export async function schema(file: string, modes: Modes): Promise<number> {
  if (!file) return print(schemaText(), 0);
  const config = await loadConfig(file);
  secrets.addAll(config.secrets);
  if (config.diagnostics.length) throw new ConfigError(config.diagnostics);
  const { params, problems } = await paramsSchemas(config, modes);
  for (const p of problems) {
    console.error(escapeControl(secrets.redactText(`otai: params of ${p}; left unchecked`)));
  }
  return print(schemaText({ params }), 0);
}

/**
 * The config's JSON Schema as `otai schema` prints it (and `schema/config.schema.json` holds it).
 *
 * @param options The params schemas of one config's plugins.
 * @returns Indented JSON with a final newline.
 */
export function schemaText(options: Parameters<typeof configJsonSchema>[0] = {}): string {
  return JSON.stringify(configJsonSchema(options), null, 2) + "\n";
}
