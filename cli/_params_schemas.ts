import { fileURLToPath as fromFileUrl } from "node:url";
import type { LoadedConfig } from "../core/config/load_config.ts";
import type { ParamsSchemaOf } from "../core/config/json_schema.ts";
import { readManifest } from "../loader/read_manifest.ts";
import { sandboxModuleFlags } from "../loader/host_flags.ts";
import { resolveSource } from "../loader/source/resolve_source.ts";
import { sourceOptions } from "../loader/source/source_options.ts";

/** The params schemas of a config's plugins, and why a plugin's could not be read. */
export interface ParamsSchemas {
  /** One per pipe or service whose params schema gives a JSON Schema. */
  params: ParamsSchemaOf[];
  /** Per plugin that could not be read: what went wrong. */
  problems: string[];
}

/**
 * Reads the manifest of each enabled plugin of a config in a sandbox with no permissions (as
 * `otai plugins info` does) and collects the JSON Schemas of its pipes' and services' params,
 * under the prefix the config gives the plugin.
 *
 * @param config The loaded config.
 * @param options How remote plugins may be fetched.
 * @returns The schemas found, and a problem per plugin that could not be read.
 */
export async function paramsSchemas(
  config: LoadedConfig,
  options: { offline?: boolean; frozen?: boolean } = {},
): Promise<ParamsSchemas> {
  const source = await sourceOptions(config, options);
  const out: ParamsSchemas = { params: [], problems: [] };
  await Promise.all(config.plugins.map(async ({ from, entry }) => {
    if (!entry || entry.enabled === false) return;
    try {
      const resolved = await resolveSource(entry, config.baseUrl, source);
      const { manifest, problems } = await readManifest(resolved.importSpecifier, {
        isolation: "process",
        denoArgs: sandboxModuleFlags(),
        cwd: fromFileUrl(config.baseUrl),
        importHosts: resolved.importHosts,
        ...(resolved.graph ? { integrity: resolved.graph.integrity } : {}),
      });
      if (!manifest) throw new Error(problems.join("; "));
      const prefix = entry.as ?? manifest.name;
      for (const i of manifest.injectables) {
        if (i.paramsSchema) {
          out.params.push({ use: `${prefix}:${i.name}`, kind: i.kind, schema: i.paramsSchema });
        }
      }
    } catch (e) {
      out.problems.push(`plugin "${from}": ${(e as Error).message}`);
    }
  }));
  out.params.sort((a, b) => a.use.localeCompare(b.use));
  return out;
}
