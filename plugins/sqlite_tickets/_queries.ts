/**
 * The SQL of the store's filtered reads, built from checked queries. Each distinct filter
 * combination gives one SQL text, so a statement cache keyed by it prepares each only once.
 *
 * @module
 */
import type { SQLInputValue } from "node:sqlite";
import { type CheckedSearch, checkName, isoTime, MAX_LIMIT } from "./_checks.ts";
import type { HistoryQuery, RevertQuery } from "./_types.ts";

/** A SQL text and the values for its placeholders. */
export interface Query {
  sql: string;
  args: SQLInputValue[];
}

/**
 * The query for `search()`: tickets ordered by `updated_at`, then id.
 *
 * @param q A checked search.
 * @returns SQL and values.
 *
 * @example
 * ```ts
 * import { searchQuery } from "./_queries.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(searchQuery({ queue: "IT", limit: 5, offset: 0 }).args, ["IT", 5, 0]);
 * ```
 */
export function searchQuery(q: CheckedSearch): Query {
  const where: string[] = [];
  const args: SQLInputValue[] = [];
  if (q.queue !== undefined) where.push("queue = ?"), args.push(q.queue);
  if (q.state !== undefined) where.push("state = ?"), args.push(q.state);
  if (q.since !== undefined) where.push("updated_at >= ?"), args.push(q.since);
  if (q.unprocessed !== undefined) {
    where.push("NOT EXISTS (SELECT 1 FROM marks m WHERE m.key = ? AND m.ticket_id = t.id)");
    args.push(q.unprocessed);
  }
  return {
    sql: `SELECT * FROM tickets t ${clause(where)} ORDER BY updated_at, id LIMIT ? OFFSET ?`,
    args: [...args, q.limit, q.offset],
  };
}

/**
 * The query for `history()`: newest first.
 *
 * @param query Filters and limit (default 1000, at most 10000).
 * @returns SQL and values.
 * @throws {TypeError} For a filter that is not a non-empty string.
 * @throws {RangeError} For a limit out of range.
 *
 * @example
 * ```ts
 * import { historyQuery } from "./_queries.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(historyQuery({ run: "r1" }).args, ["r1", 1000]);
 * ```
 */
export function historyQuery(query: HistoryQuery | undefined): Query {
  const where: string[] = [];
  const args: SQLInputValue[] = [];
  if (query?.ticket !== undefined) {
    where.push("ticket_id = ?"),
      args.push(checkName(query.ticket, { action: "list history", name: "ticket" }));
  }
  if (query?.run !== undefined) {
    where.push("run = ?"), args.push(checkName(query.run, { action: "list history", name: "run" }));
  }
  const limit = query?.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(
      `Cannot list history: "limit" must be a whole number from 1 to ${MAX_LIMIT}, not ${limit}`,
    );
  }
  return {
    sql: `SELECT * FROM history ${clause(where)} ORDER BY id DESC LIMIT ?`,
    args: [...args, limit],
  };
}

/**
 * The query for the changes `revert()` undoes: newest first.
 *
 * @param query A run, a time, or both.
 * @returns SQL and values.
 * @throws {TypeError} When neither is given.
 *
 * @example
 * ```ts
 * import { revertQuery } from "./_queries.ts";
 * import { deepStrictEqual, throws } from "node:assert/strict";
 * deepStrictEqual(revertQuery({ since: "2024-05-01" }).args, ["2024-05-01T00:00:00.000Z"]);
 * throws(() => revertQuery({}), /say which changes to undo/);
 * ```
 */
export function revertQuery(query: RevertQuery | undefined): Query {
  const where: string[] = [];
  const args: SQLInputValue[] = [];
  if (query?.run !== undefined) {
    where.push("run = ?"), args.push(checkName(query.run, { action: "revert", name: "run" }));
  }
  if (query?.since !== undefined) {
    where.push("at >= ?"), args.push(isoTime(query.since, { action: "revert", name: "since" }));
  }
  if (!where.length) {
    throw new TypeError(
      "Cannot revert: say which changes to undo with run (a run id from history()) or " +
        'since (an ISO 8601 time), e.g. { run: "run-20240501T120000Z-3f9a0c" }',
    );
  }
  return { sql: `SELECT * FROM history ${clause(where)} ORDER BY id DESC`, args };
}

function clause(where: string[]): string {
  return where.length ? `WHERE ${where.join(" AND ")}` : "";
}
