/**
 * Starting one plugin after its source is resolved: its manifest read with no permissions, its
 * supervised sandbox under the effective grant, and the errors that say which plugin failed.
 *
 * @module
 */
import type { CompiledConfig } from "../core/config/compile_config.ts";
import type { PluginEntry } from "../core/config/schema.ts";
import type { Isolation, PermissionSet, ServiceCall } from "../core/contract.ts";
import type { ManifestInfo } from "../core/manifest.ts";
import { grantedEnv } from "../core/secrets.ts";
import { SupervisedPlugin } from "./sandbox/supervisor.ts";
import { runsCachedOnly } from "./host_flags.ts";
import { readManifest } from "./read_manifest.ts";
import { graphIntegrity, type PluginGraph } from "./source/fetch_plugin.ts";
import { explainLoadError } from "./_explain_load.ts";

/** Where a plugin's log records go, with the prefix of the plugin that wrote them. */
export type PluginLogSink = (
  prefix: string,
  level: "debug" | "info" | "warning" | "error",
  message: string,
  props?: object,
) => void;

/** What starting a plugin needs of the load's options. */
export interface StartContext {
  /** Its entry. */
  entry: PluginEntry;
  /** The config. */
  config: CompiledConfig;
  /** The load's options. */
  options: { onLog?: PluginLogSink; onCall?: (call: ServiceCall) => Promise<unknown> };
  /** Its vetted graph, checked again before each restart. */
  graph?: PluginGraph;
}

/** Starts the plugin's supervised sandbox under its effective permissions. */
export async function startRuntime(
  url: string,
  name: string,
  prefix: string,
  effective: PermissionSet,
  where: { isolation: Isolation; memoryMb?: number; denoArgs: string[]; cwd: string },
  ctx: StartContext,
): Promise<SupervisedPlugin> {
  const { entry, config, options, graph } = ctx;
  try {
    const { plugin } = await SupervisedPlugin.start({
      url,
      permissions: effective,
      ...where,
      env: grantedEnv(effective.env),
      ...(entry.limits?.result_mb ? { maxResultBytes: entry.limits.result_mb * 1e6 } : {}),
      ...(config.killAfterMs ? { killAfterMs: config.killAfterMs } : {}),
      onLog: (level, message, props) => options.onLog?.(prefix, level, message, props),
      ...(graph ? { verify: () => changedSince(graph) } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    });
    return plugin;
  } catch (e) {
    throw new LoadError(prefix, `Cannot start plugin "${name}": ${explainLoadError(e as Error)}`);
  }
}

/** Worker sandboxes load code through this process's module loader, which must fetch nothing. */
export function requireCachedOnlyHost(entry: PluginEntry): void {
  if (runsCachedOnly()) return;
  throw new LoadError(
    entry.as,
    `Cannot load plugin "${entry.as ?? entry.from}" with isolation: worker: Worker sandboxes ` +
      "load code through this process's module loader, which may fetch from the network " +
      "unless Deno runs with --cached-only; run it so (the otai command line does), or use " +
      "isolation: process",
  );
}

/** The plugin's checked manifest, read with no permissions. */
export async function manifestOf(
  url: string,
  entry: PluginEntry,
  where: Parameters<typeof readManifest>[1],
): Promise<ManifestInfo> {
  let read;
  try {
    read = await readManifest(url, where);
  } catch (e) {
    throw new LoadError(
      entry.as,
      `Cannot load plugin "${entry.as ?? entry.from}": ${explainLoadError(e as Error)}`,
    );
  }
  if (read.manifest) return read.manifest;
  const declared = read.description.name;
  const named = entry.as ?? (typeof declared === "string" ? declared : undefined);
  throw new LoadError(
    named,
    `Cannot load plugin "${named ?? entry.from}": its manifest is invalid: ${
      read.problems.join("; ")
    }`,
  );
}

/** Why a plugin's code no longer matches what was vetted, or undefined when it does. */
export async function changedSince(graph: PluginGraph): Promise<string | undefined> {
  let now: string;
  try {
    now = await graphIntegrity(graph.specifier, graph);
  } catch (e) {
    return `its code cannot be read any more (${(e as Error).message})`;
  }
  return now === graph.integrity
    ? undefined
    : "its code changed on disk since it was loaded; review the change, then start otai again";
}
// deno-lint-ignore no-control-regex -- the ESC character is what is matched
const COLOUR_CODE = /\x1b\[[0-9;]*m/g;

/**
 * A plugin that could not be loaded, with the prefix it would have had when known. Terminal
 * colour codes in what Deno said (a Worker's import error quotes its coloured stack) are
 * dropped: the message goes to logs and `--json` as plain text.
 */
export class LoadError extends Error {
  constructor(readonly prefix: string | undefined, message: string) {
    super(message.replace(COLOUR_CODE, ""));
  }
}

export { explainLoadError } from "./_explain_load.ts";
