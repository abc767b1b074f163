/**
 * The files `otai new plugin` writes: one template module per file, each a function of the
 * package's names.
 *
 * @module
 */
import type { PluginNames } from "./_names.ts";
export type { PluginNames };
import { denoJson } from "./deno_json.ts";
import { license } from "./license.ts";
import { modTs } from "./mod_ts.ts";
import { modTestTs } from "./mod_test_ts.ts";
import { readme } from "./readme.ts";

/**
 * A new plugin package's files, by path inside its folder.
 *
 * @param names The plugin's names.
 * @returns The file contents by relative path, formatted as `deno fmt` writes them.
 */
export function pluginFiles(names: PluginNames): Record<string, string> {
  return {
    "deno.json": denoJson(names),
    "LICENSE": license(names),
    "mod.ts": modTs(names),
    "mod_test.ts": modTestTs(),
    "README.md": readme(names),
  };
}
