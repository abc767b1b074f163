/** A path into the config data: keys and list indexes, e.g. `["plugins", 0, "from"]`. */
export type ConfigPath = readonly (string | number)[];

/**
 * Formats a config path the way messages show it.
 *
 * @param path The path.
 * @returns E.g. `plugins[0].permissions.net`.
 *
 * @example
 * ```ts ignore
 * formatPath(["plugins", 0, "from"]); // "plugins[0].from"
 * ```
 */
export function formatPath(path: ConfigPath): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s ? `.${p}` : p;
  return s;
}
