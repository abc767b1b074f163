/**
 * Ticket rows as stored, and the plain {@linkcode Ticket} objects the store returns.
 *
 * @module
 */
import type { Ticket, TicketNote } from "@otai/cli/plugin";
import type { Statements } from "./_statements.ts";

/** A row of the `tickets` table. */
export interface TicketRow {
  id: string;
  subject: string;
  body: string;
  queue: string;
  priority: string;
  state: string | null;
  type: string | null;
  customer: string | null;
  /** A JSON list of strings. */
  tags: string;
  updated_at: string;
}

/**
 * Reads one ticket with its notes as a plain object (no null-prototype rows, no optional field
 * set to `undefined`), so it crosses a sandbox boundary as is.
 *
 * @param sql The store's statements.
 * @param row The ticket row, or its id.
 * @returns The ticket, or null when there is no ticket with that id.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { readTicket } from "./_ticket_rows.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * sql.upsert.run("1", "Hi", "", "IT", "low", null, null, null, null, "2024-01-01T00:00:00.000Z");
 * deepStrictEqual(readTicket(sql, "1"), {
 *   id: "1", subject: "Hi", body: "", queue: "IT", priority: "low", tags: [], notes: [],
 *   updated_at: "2024-01-01T00:00:00.000Z",
 * });
 * db.close();
 * ```
 */
export function readTicket(sql: Statements, row: TicketRow | string): Ticket | null {
  const r = typeof row === "string" ? ticketRow(sql, row) : row;
  if (!r) return null;
  const notes: TicketNote[] = sql.notes.all(r.id).map((n) => ({
    body: String(n.body),
    ...(n.subject === null ? {} : { subject: String(n.subject) }),
    ...(n.author === null ? {} : { author: String(n.author) }),
    created_at: String(n.created_at),
  }));
  return {
    id: r.id,
    subject: r.subject,
    body: r.body,
    queue: r.queue,
    priority: r.priority,
    ...(r.state === null ? {} : { state: r.state }),
    ...(r.type === null ? {} : { type: r.type }),
    ...(r.customer === null ? {} : { customer: r.customer }),
    tags: JSON.parse(r.tags),
    notes,
    updated_at: r.updated_at,
  };
}

/**
 * Reads one row of the `tickets` table.
 *
 * @param sql The store's statements.
 * @param id The ticket id.
 * @returns The row, or undefined.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { ticketRow } from "./_ticket_rows.ts";
 * import { strictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * strictEqual(ticketRow(prepareStatements(db), "x"), undefined);
 * db.close();
 * ```
 */
export function ticketRow(sql: Statements, id: string): TicketRow | undefined {
  return sql.ticket.get(id) as TicketRow | undefined;
}
