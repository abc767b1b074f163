import type { PluginHandle } from "../registry.ts";
import { grantedEnv } from "../secrets.ts";

const cache = new WeakMap<PluginHandle, Record<string, string>>();

/**
 * The environment variables granted to a plugin, with their values, as `env` in the
 * expressions of its steps (read once per plugin): the same ones its sandbox gets.
 */
export function envOf(plugin: PluginHandle): Record<string, string> {
  let env = cache.get(plugin);
  if (!env) {
    env = grantedEnv(plugin.effective.env);
    cache.set(plugin, env);
  }
  return env;
}
