import { loadConfig } from "../core/config/load_config.ts";
import type { Diagnostic } from "../core/errors.ts";
import { loadPlugins, type PluginStatus } from "../loader/load_plugins.ts";
import { sourceOptions } from "../loader/source/source_options.ts";

/**
 * Loads each configured plugin on its own and reports how it went (`otai plugins list`):
 * loaded (with effective permissions and source), failed (and why), or disabled. Sandboxes are
 * stopped before it returns; no step runs.
 *
 * @returns A status per `plugins:` entry, and the config's own problems.
 */
export async function listPlugins(
  file: string,
  options: { offline?: boolean; frozen?: boolean } = {},
): Promise<{ statuses: PluginStatus[]; diagnostics: Diagnostic[] }> {
  const loaded = await loadConfig(file);
  const source = await sourceOptions(loaded, options);
  const { statuses } = await loadPlugins(loaded, { source });
  for (const s of statuses) s.plugin?.runtime.terminate();
  return { statuses, diagnostics: loaded.diagnostics };
}
