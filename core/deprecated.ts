import { getLogger } from "@logtape/logtape";

const log = getLogger(["otai", "deprecation"]);
const warned = new Set<string>();

/**
 * Warns, once per process, that something is deprecated, naming what replaces it. A minor
 * release of otai may deprecate; only the next major one removes (see "Plugin API versions" in
 * the README). The warning goes to the log under `otai.deprecation`.
 *
 * @param name What is deprecated, as a user meets it (`integrity: sha256-… (an older hash)`).
 * @param replacement What to use instead, as an action (`run "otai lock"`).
 * @returns True when it warned now, false when it had warned of `name` before.
 *
 * @example
 * ```ts
 * import { deprecated } from "./deprecated.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(deprecated("the example's old option", "the new option"), true);
 * strictEqual(deprecated("the example's old option", "the new option"), false);
 * ```
 */
export function deprecated(name: string, replacement: string): boolean {
  if (warned.has(name)) return false;
  warned.add(name);
  log.warn(
    "Deprecated: {name}; use {replacement} instead (the next major version of otai removes it)",
    { name, replacement },
  );
  return true;
}
