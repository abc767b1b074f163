/**
 * Processed marks stored in OTOBO itself: the keys a ticket was processed under, as the
 * comma-separated value of a ticket text dynamic field (`mark_field`).
 *
 * @module
 */
import { fieldValues } from "./_mapping.ts";
import type { Data } from "./_transport.ts";

/**
 * Checks a mark key: text, not empty, and without the comma that separates keys.
 *
 * @param key The key, e.g. `triage-v1`.
 * @returns The key.
 * @throws {TypeError} When it cannot be stored.
 *
 * @example
 * ```ts
 * import { checkMark } from "./_marks.ts";
 * import { throws } from "node:assert/strict";
 * checkMark("triage-v1");
 * throws(() => checkMark("a,b"), /without commas/);
 * ```
 */
export function checkMark(key: unknown): string {
  if (typeof key !== "string" || !key.trim() || key.includes(",")) {
    throw new TypeError(
      `Cannot mark an OTOBO ticket as processed under ${JSON.stringify(key)}: give the mark ` +
        "a non-empty key without commas, e.g. mark: triage-v1",
    );
  }
  return key.trim();
}

/**
 * The marks a TicketGet ticket carries.
 *
 * @param raw The ticket (with `DynamicFields=1`).
 * @param field The mark field.
 * @returns The keys.
 */
export function marksOf(raw: Data, field: string): string[] {
  return fieldValues(raw, field);
}

/**
 * The TicketUpdate `DynamicField` entry that adds a mark to those a ticket has.
 *
 * @param raw The ticket as read before the update.
 * @param field The mark field.
 * @param key The key to add.
 * @returns `{ Name, Value }`, the value being comma-separated text.
 */
export function markEntry(raw: Data, field: string, key: string): Data {
  const keys = [...new Set([...marksOf(raw, field), key])];
  return { Name: field, Value: keys.join(", ") };
}
