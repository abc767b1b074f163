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
  return error.message;
}
