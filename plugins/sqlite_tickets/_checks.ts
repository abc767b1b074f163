/**
 * Checks of what callers pass to the ticket store: they arrive from other plugins as plain
 * data, so every shape is checked and every mistake named.
 *
 * @module
 */
import type { TicketChanges, TicketNote } from "@otai/cli/plugin";
import { CHANGE_FIELDS } from "./_statements.ts";
import type { ApplyAction } from "./_types.ts";

/** The most tickets one `search()` returns, and the most rows one `history()` returns. */
export const MAX_LIMIT = 10_000;

/** A search as the store runs it: the `TicketSearch` filters plus `unprocessed`. */
export interface CheckedSearch {
  queue?: string;
  state?: string;
  since?: string;
  unprocessed?: string;
  limit: number;
  offset: number;
}

/** What a checked value is, for messages: the action that needs it and its name. */
export interface Field {
  /** What is being done, e.g. `"update ticket"`. */
  action: string;
  /** The value's name, e.g. `"id"`. */
  name: string;
}

const SEARCH_KEYS = ["queue", "state", "since", "unprocessed", "limit", "offset"];

/**
 * Checks a search query.
 *
 * @param query What the caller passed.
 * @returns The query, with `since` as an ISO 8601 UTC time and `offset` defaulting to 0.
 * @throws {TypeError} For a wrong shape or an unknown filter.
 * @throws {RangeError} For a limit above {@linkcode MAX_LIMIT}, or a bad offset or time.
 *
 * @example
 * ```ts
 * import { checkSearch } from "./_checks.ts";
 * import { deepStrictEqual, throws } from "node:assert/strict";
 * deepStrictEqual(checkSearch({ limit: 5, since: "2024-01-01" }), {
 *   limit: 5, offset: 0, since: "2024-01-01T00:00:00.000Z",
 * });
 * throws(() => checkSearch({ limit: 20_000 }), /above the maximum of 10000/);
 * ```
 */
export function checkSearch(query: unknown): CheckedSearch {
  const field = (name: string): Field => ({ action: "search tickets", name });
  const q = object(query, { action: "search tickets", hint: "a query object like { limit: 50 }" });
  unknownKeys(q, { known: SEARCH_KEYS, action: "search tickets" });
  const limit = count(q.limit, field("limit"));
  if (limit > MAX_LIMIT) {
    throw new RangeError(
      `Cannot search tickets: limit ${limit} is above the maximum of ${MAX_LIMIT}; page ` +
        "through the tickets with limit and offset",
    );
  }
  const out: CheckedSearch = { limit, offset: count(q.offset ?? 0, field("offset")) };
  for (const key of ["queue", "state", "unprocessed"] as const) {
    if (q[key] !== undefined) out[key] = text(q[key], field(key));
  }
  if (q.since !== undefined) out.since = isoTime(q.since, field("since"));
  return out;
}

/**
 * Checks ticket changes.
 *
 * @param changes What the caller passed.
 * @returns The changes.
 * @throws {TypeError} For a wrong shape, an unknown field or a value of the wrong type.
 *
 * @example
 * ```ts
 * import { checkChanges } from "./_checks.ts";
 * import { throws } from "node:assert/strict";
 * throws(() => checkChanges({ subject: "x" }), /unknown field "subject"/);
 * ```
 */
export function checkChanges(changes: unknown): TicketChanges {
  const field = (name: string): Field => ({ action: "update ticket", name });
  const c = object(changes, { action: "update ticket", hint: 'changes like { queue: "IT" }' });
  unknownKeys(c, { known: CHANGE_FIELDS, action: "update ticket" });
  const out: TicketChanges = {};
  for (const key of ["queue", "priority", "state", "type"] as const) {
    if (c[key] !== undefined) out[key] = text(c[key], field(key));
  }
  if (c.tags !== undefined) {
    if (!Array.isArray(c.tags) || c.tags.some((t) => typeof t !== "string")) {
      throw new TypeError('Cannot update ticket: "tags" must be a list of strings');
    }
    out.tags = [...c.tags];
  }
  return out;
}

/**
 * Checks a note.
 *
 * @param note What the caller passed.
 * @returns The note, with `created_at` as an ISO 8601 UTC time when given.
 * @throws {TypeError} When it has no text body or a field of the wrong type.
 *
 * @example
 * ```ts
 * import { checkNote } from "./_checks.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(checkNote({ body: "Called back" }), { body: "Called back" });
 * ```
 */
export function checkNote(note: unknown): TicketNote {
  const field = (name: string): Field => ({ action: "add note", name });
  const n = object(note, { action: "add note", hint: 'a note like { body: "text" }' });
  unknownKeys(n, { known: ["body", "subject", "author", "created_at"], action: "add note" });
  const out: TicketNote = { body: text(n.body, field("body")) };
  if (n.subject !== undefined) out.subject = text(n.subject, field("subject"));
  if (n.author !== undefined) out.author = text(n.author, field("author"));
  if (n.created_at !== undefined) out.created_at = isoTime(n.created_at, field("created_at"));
  return out;
}

/**
 * Checks a ticket id or another required name (a run id, a marker key).
 *
 * @param value What the caller passed.
 * @param field What is being done and what the value is, for the message.
 * @returns The value.
 * @throws {TypeError} When it is not a non-empty string.
 *
 * @example
 * ```ts
 * import { checkName } from "./_checks.ts";
 * import { throws } from "node:assert/strict";
 * throws(() => checkName(7, { action: "update ticket", name: "id" }), /"id" must be a non-empty string/);
 * ```
 */
export function checkName(value: unknown, field: Field): string {
  const { action, name } = field;
  if (typeof value !== "string" || value === "") {
    throw new TypeError(
      `Cannot ${action}: "${name}" must be a non-empty string, not ${describe(value)}`,
    );
  }
  return value;
}

/** An `apply()` action, checked, with the verb its messages use. */
export interface CheckedAction {
  /** `"add a note to"` for a note alone, else `"update"`. */
  verb: string;
  changes: TicketChanges | undefined;
  note: TicketNote | undefined;
  mark: string | undefined;
  run: string | undefined;
}

/**
 * Checks the id and the action of an `apply()`.
 *
 * @param id What the caller passed as the ticket id.
 * @param action What the caller passed as the action.
 * @returns The checked action.
 * @throws {TypeError} For a wrong shape, an empty id, mark or run, or bad changes or note.
 *
 * @example
 * ```ts
 * import { checkAction } from "./_checks.ts";
 * import { strictEqual, throws } from "node:assert/strict";
 * strictEqual(checkAction("7", { note: { body: "Hi" } }).verb, "add a note to");
 * throws(() => checkAction("", { mark: "triage" }), /Cannot update ticket: "id" must be/);
 * ```
 */
export function checkAction(id: unknown, action: ApplyAction): CheckedAction {
  const verb = action?.note && !action.changes ? "add a note to" : "update";
  checkName(id, { action: `${verb} ticket`, name: "id" });
  if (action === null || typeof action !== "object") {
    throw new TypeError(
      "Cannot update ticket: expected an action like { changes, note, mark, run }",
    );
  }
  return {
    verb,
    changes: action.changes === undefined ? undefined : checkChanges(action.changes),
    note: action.note === undefined ? undefined : checkNote(action.note),
    mark: action.mark === undefined
      ? undefined
      : checkName(action.mark, { action: "mark ticket", name: "mark" }),
    run: action.run === undefined
      ? undefined
      : checkName(action.run, { action: `${verb} ticket`, name: "run" }),
  };
}

/**
 * Checks a time and returns it as an ISO 8601 UTC time, so it compares as text with stored
 * times.
 *
 * @param value What the caller passed.
 * @param field What is being done and what the value is, for the message.
 * @returns The time, e.g. `"2024-05-01T00:00:00.000Z"`.
 * @throws {RangeError} When it is not a time.
 *
 * @example
 * ```ts
 * import { isoTime } from "./_checks.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(isoTime("2024-05-01T02:00:00+02:00", { action: "search", name: "since" }), "2024-05-01T00:00:00.000Z");
 * ```
 */
export function isoTime(value: unknown, field: Field): string {
  const { action, name } = field;
  const t = typeof value === "string" ? new Date(value) : new Date(NaN);
  if (Number.isNaN(t.getTime())) {
    throw new RangeError(
      `Cannot ${action}: "${name}" must be an ISO 8601 time like "2024-05-01T12:00:00Z", ` +
        `not ${describe(value)}`,
    );
  }
  return t.toISOString();
}

function object(value: unknown, { action, hint }: { action: string; hint: string }) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`Cannot ${action}: expected ${hint}, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function unknownKeys(
  value: Record<string, unknown>,
  { known, action }: { known: readonly string[]; action: string },
): void {
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined && !known.includes(key)) {
      throw new TypeError(
        `Cannot ${action}: unknown field "${key}"; use ${known.map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }
}

function text(value: unknown, { action, name }: Field): string {
  if (typeof value !== "string") {
    throw new TypeError(`Cannot ${action}: "${name}" must be a string, not ${describe(value)}`);
  }
  return value;
}

function count(value: unknown, { action, name }: Field): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot ${action}: "${name}" must be a whole number of 0 or more, not ${describe(value)}`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
