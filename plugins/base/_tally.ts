/**
 * Counting items by a field: the `Tally` pipe and the counting behind it.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";

/** What `Tally` returns. */
export interface TallyResult {
  /** How many items were counted. */
  total: number;
  /** How many items have each value, most frequent first. */
  counts: Record<string, number>;
}

/** The key under which items without a value are counted. */
export const NONE = "(none)";

/**
 * Counts items by the value at a dot path. Text, numbers and booleans count as their text; a
 * list counts once for each of its values (tags); a missing value, null, `""` or `[]` counts
 * under `"(none)"`; other objects count as their JSON.
 *
 * @param items The items.
 * @param by A dot path into each item, e.g. `queue` or `changes.queue`.
 * @returns The total and the counts, most frequent first, then by key.
 *
 * @example
 * ```ts
 * import { tally } from "./_tally.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const items = [{ queue: "IT" }, { queue: "Billing" }, { queue: "IT" }, {}];
 * deepStrictEqual(tally(items, "queue"), {
 *   total: 4,
 *   counts: { IT: 2, "(none)": 1, Billing: 1 },
 * });
 * ```
 */
export function tally(items: readonly unknown[], by: string): TallyResult {
  const path = by.split(".");
  const counts = new Map<string, number>();
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const item of items) {
    const value = valueAt(item, path);
    const keys = Array.isArray(value) ? value.map(keyOf).filter((k) => k !== NONE) : [
      keyOf(value),
    ];
    if (keys.length === 0) count(NONE);
    for (const key of new Set(keys)) count(key);
  }
  const sorted = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  return { total: items.length, counts: Object.fromEntries(sorted) };
}

const params = z.object({
  items: z.array(z.unknown(), {
    error: 'give items as a list, e.g. items: "${{ steps.fetch.data.tickets }}"',
  }),
  by: z.string({ error: 'give by a dot path into each item, e.g. by: "queue"' }).regex(
    /^[^.]+(\.[^.]+)*$/,
    { error: 'give by a dot path into each item, e.g. by: "queue" or by: "changes.queue"' },
  ),
});

/** Counts items by the value at a dot path. */
export const tallyPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Tally",
  services: {},
  description: "Counts items by the value at a dot path (missing values under (none))",
  params,
  run(ctx): TallyResult {
    return tally(ctx.params.items, ctx.params.by);
  },
});

function valueAt(item: unknown, path: readonly string[]): unknown {
  let value = item;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function keyOf(value: unknown): string {
  if (value === undefined || value === null || value === "") return NONE;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
