import { dirname } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { CompiledConfig } from "../core/config/compile_config.ts";
import type { ManifestInfo } from "../core/manifest.ts";
import type { PluginHandle } from "../core/registry.ts";
import { effectiveGrant, sandboxPlace } from "./load_plugins.ts";
import { checkGrantPaths } from "./_grant.ts";
import { changedSince, explainLoadError, manifestOf } from "./_start_plugin.ts";
import { SupervisedPlugin } from "./sandbox/supervisor.ts";
import type { PluginGraph } from "./source/fetch_plugin.ts";
import { resolveSource, type SourceOptions } from "./source/resolve_source.ts";

/** What reloading a plugin needs: the config, how sources resolve, and every plugin's graph. */
export interface ReloadContext {
  /** The compiled config (its grants are the ones a reload keeps). */
  config: CompiledConfig;
  /** How plugin sources are resolved, as at load. */
  source?: SourceOptions;
  /** Every loaded plugin. */
  plugins: readonly PluginHandle[];
  /** Each plugin's vetted graph by its index under `plugins:`; a reload replaces its own. */
  graphs: Map<number, PluginGraph>;
}

/**
 * Vets a plugin's changed code as at load (its graph, its manifest read with no permissions,
 * its grant computed again) and, when nothing it gets or offers changes, replaces its sandbox:
 * the other plugins' sandboxes keep running.
 *
 * @param plugin The plugin whose code changed.
 * @param ctx The config, the source options and every plugin's graph.
 * @returns `"unchanged"` when its code hashes as before, else `"reloaded"`.
 * @throws {Error} Why the reload was refused; the plugin's old sandbox keeps running.
 *
 * @example
 * ```ts ignore
 * await reloadPlugin(app.plugins[0]!, ctx);
 * ```
 */
export async function reloadPlugin(
  plugin: PluginHandle,
  ctx: ReloadContext,
): Promise<"reloaded" | "unchanged"> {
  const { config } = ctx;
  const entry = config.plugins.find((p) => p.index === plugin.index)?.entry;
  if (!entry) throw new Error("its config entry is gone");
  let resolved;
  try {
    resolved = await resolveSource(entry, config.baseUrl, ctx.source);
  } catch (e) {
    throw new Error(explainLoadError(e as Error));
  }
  const graph = resolved.graph;
  if (!graph) throw new Error("its code has no vetted graph");
  if (graph.integrity === ctx.graphs.get(plugin.index)?.integrity) return "unchanged";
  const url = resolved.importSpecifier;
  const m = await manifestOf(url, entry, {
    ...sandboxPlace(config, entry),
    importHosts: resolved.importHosts,
    integrity: graph.integrity,
  });
  const incompatible = changedShape(plugin, entry.as ?? m.name, m);
  if (incompatible) throw new Error(`${incompatible}; restart otai to load it`);
  const files = codeFiles(ctx, plugin, graph);
  const effective = await effectiveGrant(
    config,
    entry,
    plugin.index,
    m,
    resolved,
    Promise.resolve(files),
  );
  if (JSON.stringify(effective) !== JSON.stringify(plugin.effective)) {
    throw new Error(
      "its manifest now requests other permissions than it runs with; a reload never changes " +
        "what a plugin gets: restart otai to load it under its new grant",
    );
  }
  for (const other of ctx.plugins) {
    const unsafe = other === plugin ? undefined : await checkGrantPaths(other.effective, files);
    if (unsafe) throw new Error(`plugin "${other.prefix}" could change its code: ${unsafe}`);
  }
  const runtime = plugin.runtime;
  if (!(runtime instanceof SupervisedPlugin)) throw new Error("it does not run in a sandbox");
  try {
    await runtime.reload({ url, verify: () => changedSince(graph) });
  } catch (e) {
    throw new Error(`its new code could not start: ${explainLoadError(e as Error)}`);
  }
  ctx.graphs.set(plugin.index, graph);
  plugin.manifest = m;
  return "reloaded";
}

/** Why the new manifest cannot replace the old one in place, or undefined when it can. */
function changedShape(plugin: PluginHandle, prefix: string, m: ManifestInfo): string | undefined {
  if (prefix !== plugin.prefix) return `its prefix would change to "${prefix}"`;
  if (m.name !== plugin.manifest.name) return `its manifest name changed to "${m.name}"`;
  const shape = (info: ManifestInfo) =>
    JSON.stringify({
      events: [...(info.events ?? [])].sort(),
      injectables: info.injectables
        .map(({ kind, name, hasParams, paramsSchema, services }) =>
          JSON.stringify({ kind, name, hasParams, paramsSchema, services })
        )
        .sort(),
    });
  return shape(m) === shape(plugin.manifest)
    ? undefined
    : "its pipes, services, their params schemas or its events changed";
}

/** Every local module of every plugin's graph (this one's new graph included) and its folder. */
function codeFiles(ctx: ReloadContext, plugin: PluginHandle, graph: PluginGraph): string[] {
  const graphs = [...ctx.graphs].map(([index, g]) => index === plugin.index ? graph : g);
  const files = graphs.flatMap((g) =>
    g.modules.flatMap((m) => m.specifier.startsWith("file:") ? [fromFileUrl(m.specifier)] : [])
  );
  return [...new Set([dirname(fromFileUrl(plugin.url)), ...files])];
}
