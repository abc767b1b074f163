import { dirname, relative } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { getLogger } from "@logtape/logtape";
import type { PluginHandle } from "../core/registry.ts";
import { type ReloadContext, reloadPlugin } from "./reload_plugin.ts";

const log = getLogger(["otai", "watch"]);

/** How long after the last change a plugin is reloaded (an editor saves in several writes). */
const DEBOUNCE_MS = 200;

/** Options for {@linkcode watchPlugins}. */
export interface WatchOptions {
  /** Stops watching. */
  signal: AbortSignal;
  /** A plugin was reloaded. */
  onReload?: (prefix: string) => void;
}

/**
 * Watches the local files of each local plugin's vetted graph; when one changes, reloads that
 * plugin alone (see {@linkcode reloadPlugin}). A refused reload is a warning naming the plugin
 * and the file, and its old sandbox keeps running. Remote plugins are not watched.
 *
 * @param ctx The config, the source options and every plugin's graph.
 * @param options The signal that ends the watch, and what to do after a reload.
 * @returns When the signal aborted and a reload under way finished.
 *
 * @example
 * ```ts ignore
 * await watchPlugins(ctx, { signal: AbortSignal.timeout(60_000) });
 * ```
 */
export async function watchPlugins(ctx: ReloadContext, options: WatchOptions): Promise<void> {
  const { signal } = options;
  const local = ctx.plugins.filter((p) => p.url.startsWith("file:") && ctx.graphs.has(p.index));
  const remote = ctx.plugins.filter((p) => !local.includes(p)).map((p) => p.prefix);
  if (remote.length) log.info(`--watch: remote plugins are not watched: ${braces(remote)}`);
  const changed = new Map<PluginHandle, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = Promise.resolve();
  let dirs = new Set<string>();
  let watcher: Deno.FsWatcher | undefined;
  const close = () => watcher?.close();
  signal.addEventListener("abort", close, { once: true });
  const flush = () => {
    busy = busy.then(async () => {
      for (const [plugin, file] of [...changed]) {
        changed.delete(plugin);
        if (!signal.aborted) await reloadOne(plugin, file, ctx, options);
      }
      // A reload may bring modules in folders not yet watched.
      if (!sameSet(watchedDirs(local, ctx), dirs)) close();
    });
  };
  while (local.length && !signal.aborted) {
    dirs = watchedDirs(local, ctx);
    log.info(`--watch: watching ${braces(local.map((p) => p.prefix))} for changes`);
    watcher = Deno.watchFs([...dirs], { recursive: false });
    for await (const event of watcher) {
      const files = fileIndex(local, ctx);
      for (const path of event.paths) {
        const plugin = files.get(path);
        if (plugin && !changed.has(plugin)) changed.set(plugin, path);
      }
      if (!changed.size) continue;
      clearTimeout(timer);
      timer = setTimeout(flush, DEBOUNCE_MS);
    }
  }
  if (!local.length) {
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  }
  clearTimeout(timer);
  signal.removeEventListener("abort", close);
  await busy;
}

/** Reloads one plugin, logging how it went. */
async function reloadOne(
  plugin: PluginHandle,
  path: string,
  ctx: ReloadContext,
  options: WatchOptions,
): Promise<void> {
  const file = relative(Deno.cwd(), path) || path;
  try {
    if (await reloadPlugin(plugin, ctx) === "unchanged") return;
  } catch (e) {
    log.warn(
      braces(
        `Cannot reload plugin "${plugin.prefix}" (${file} changed): ${(e as Error).message}; ` +
          "its running version stays, and the next good save reloads it",
      ),
    );
    return;
  }
  log.info(braces(`reloaded plugin ${plugin.prefix} (${file} changed)`));
  options.onReload?.(plugin.prefix);
}

/** Each local module of the watched plugins' graphs, with its plugin. */
function fileIndex(plugins: PluginHandle[], ctx: ReloadContext): Map<string, PluginHandle> {
  const files = new Map<string, PluginHandle>();
  for (const p of plugins) {
    for (const m of ctx.graphs.get(p.index)?.modules ?? []) {
      if (m.specifier.startsWith("file:")) files.set(fromFileUrl(m.specifier), p);
    }
  }
  return files;
}

function watchedDirs(plugins: PluginHandle[], ctx: ReloadContext): Set<string> {
  return new Set([...fileIndex(plugins, ctx).keys()].map((f) => dirname(f)));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Text (or names, joined) as a log message: braces would be read as placeholders. */
function braces(text: string | string[]): string {
  const s = Array.isArray(text) ? text.join(", ") : text;
  return s.replaceAll("{", "{{").replaceAll("}", "}}");
}
