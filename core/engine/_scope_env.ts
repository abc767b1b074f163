import type { PluginHandle } from "../registry.ts";

const cache = new WeakMap<PluginHandle, Record<string, string>>();

/**
 * The environment variables granted to a plugin, with their values, as `env` in the
 * expressions of its steps (read once per plugin).
 */
export function envOf(plugin: PluginHandle): Record<string, string> {
  let env = cache.get(plugin);
  if (!env) {
    const granted = plugin.effective.env;
    env = granted === true ? Deno.env.toObject() : Object.fromEntries(
      (granted || []).flatMap((n) => {
        const v = Deno.env.get(n);
        return v === undefined ? [] : [[n, v]];
      }),
    );
    cache.set(plugin, env);
  }
  return env;
}
