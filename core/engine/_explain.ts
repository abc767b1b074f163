import type { WireError } from "../contract.ts";
import type { SourceLocation } from "../errors.ts";
import type { ConfigPath } from "../config/config_path.ts";
import type { PluginHandle } from "../registry.ts";

/** Where a config path sits in the file. */
export type Locate = (path: ConfigPath) => SourceLocation;

/**
 * A plugin's error as a user should read it: a permission denial names the grant to change and
 * its config line; invalid params name the step's params line.
 *
 * @param plugin The plugin that failed.
 * @param error The error as it crossed the boundary.
 * @param locate Where config paths sit.
 * @param stepPath The step, when the error is a step's.
 * @returns The message.
 */
export function explainError(
  plugin: PluginHandle,
  error: WireError,
  locate: Locate,
  stepPath?: ConfigPath,
): string {
  const denied = /Requires (\w+) access(?: to "([^"]*)")?/.exec(error.message);
  if (error.name === "NotCapable" || error.name === "PermissionDenied" || denied) {
    const kind = denied?.[1] ?? "a";
    const what = denied?.[2] ? ` to "${denied[2]}"` : "";
    const at = locate(["plugins", plugin.index]);
    return `plugin "${plugin.prefix}" was denied ${kind} access${what}; if it needs it, ` +
      `grant it under plugins[${plugin.index}].permissions.${kind} in ${at.file}:${at.line}`;
  }
  if (stepPath && error.message.startsWith("invalid params")) {
    const at = locate([...stepPath, "params"]);
    return `${error.message} (${at.file}:${at.line})`;
  }
  const where = whereInPlugin(plugin, error.stack);
  return `${error.message}${where ? ` (at ${where})` : ""}${causes(error)}`;
}

/**
 * Where in the plugin's own code an error was thrown: the first frame of its stack that lies
 * in the plugin's folder, as `path:line` relative to it (`boom.ts:3`). Frames elsewhere (otai's
 * runtime, another package) are not named, nor is a frame the plugin could have forged to point
 * outside its folder.
 *
 * @example
 * ```ts ignore
 * whereInPlugin(plugin, "Error: x\n    at run (file:///p/lib/boom.ts:3:9)"); // "lib/boom.ts:3"
 * ```
 */
export function whereInPlugin(plugin: PluginHandle, stack: string | undefined): string {
  if (!stack) return "";
  const root = plugin.source.url ?? plugin.url;
  const dir = root.slice(0, root.lastIndexOf("/") + 1);
  if (!/^(file|https?):\/\//.test(dir)) return "";
  for (const line of stack.split("\n").slice(0, 50)) {
    const m = /((?:file|https?):\/\/[^\s()]+?):(\d+):\d+\)?\s*$/.exec(line);
    if (!m || !m[1]!.startsWith(dir)) continue;
    const rel = decodeURIComponent(m[1]!.slice(dir.length));
    if (/^[\w@.+-]+(\/[\w@.+-]+)*$/.test(rel) && !rel.split("/").includes("..")) {
      return `${rel}:${m[2]}`;
    }
  }
  return "";
}

/** `; caused by Name: message` for each cause an error carries. */
function causes(error: WireError): string {
  let out = "";
  for (let c = error.cause, i = 0; c && i < 3; c = c.cause, i++) {
    out += `; caused by ${c.name}: ${c.message.split("\n")[0]!.slice(0, 300)}`;
  }
  return out;
}
