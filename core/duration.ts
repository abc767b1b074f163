const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Converts a config duration (`"500ms"`, `"10s"`, `"5m"`, `"1h"`, `"1d"`, or seconds as a
 * number) to milliseconds.
 *
 * @param value The duration.
 * @returns Milliseconds.
 * @throws {RangeError} When the text is not a duration.
 *
 * @example
 * ```ts
 * import { parseDuration } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(parseDuration("1.5s"), 1500);
 * strictEqual(parseDuration(2), 2000);
 * ```
 */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") return value * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value);
  if (!m) throw new RangeError(`Cannot read duration "${value}": write it like "10s" or "5m"`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/**
 * Formats milliseconds for messages.
 *
 * @param ms Milliseconds.
 * @returns `10s`, `1.5s` or `250ms`.
 *
 * @example
 * ```ts
 * import { formatMs } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(formatMs(1500), "1.5s");
 * ```
 */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)}s` : `${ms}ms`;
}
