import { loadConfig } from "../core/config/load_config.ts";
import type { Outcome } from "../core/contract.ts";
import type { Diagnostic } from "../core/errors.ts";
import type { HealthReport } from "../core/types.ts";
import { loadPlugins, type PluginStatus } from "../loader/load_plugins.ts";
import { sourceOptions } from "../loader/source/source_options.ts";

/** How long `otai plugins list` waits for a plugin's `health()`. */
const HEALTH_TIMEOUT_MS = 5000;

/** One `plugins:` entry as `otai plugins list` shows it. */
export interface ListedPlugin extends PluginStatus {
  /** What its manifest's `health()` answered, when it has one. */
  health?: HealthReport;
}

/**
 * Loads each configured plugin on its own and reports how it went (`otai plugins list`):
 * loaded (with effective permissions, source and what its `health()` says), failed (and why),
 * or disabled. Sandboxes are stopped before it returns; no step runs.
 *
 * @returns A status per `plugins:` entry, and the config's own problems.
 */
export async function listPlugins(
  file: string,
  options: { offline?: boolean; frozen?: boolean } = {},
): Promise<{ statuses: ListedPlugin[]; diagnostics: Diagnostic[] }> {
  const loaded = await loadConfig(file);
  const source = await sourceOptions(loaded, options);
  const { statuses } = await loadPlugins(loaded, { source });
  // Each plugin is asked once, all at once, in the sandbox it was just loaded in.
  const listed = await Promise.all(statuses.map(async (s): Promise<ListedPlugin> => {
    const asked = await s.plugin?.runtime.lifecycle?.({ hook: "health" }, HEALTH_TIMEOUT_MS);
    const health = asked && healthOf(asked);
    return health ? { ...s, health } : s;
  }));
  for (const s of statuses) s.plugin?.runtime.terminate();
  return { statuses: listed, diagnostics: loaded.diagnostics };
}

/** The report in a `health()` answer, checked (the sandbox is not trusted); none without one. */
function healthOf(outcome: Outcome): HealthReport | undefined {
  if (outcome.status === "skipped") return undefined;
  if (outcome.status === "failed") {
    return { ok: false, detail: `health() failed: ${outcome.error.message}`.slice(0, 500) };
  }
  const r = outcome.data as Record<string, unknown> | null;
  if (r === null) return undefined;
  if (typeof r !== "object" || typeof r.ok !== "boolean") {
    return { ok: false, detail: "health() answered something that is not a health report" };
  }
  return typeof r.detail === "string" ? { ok: r.ok, detail: r.detail.slice(0, 500) } : { ok: r.ok };
}
