/**
 * The prepared statements of a ticket store, prepared once when it opens and reused by every
 * call.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** The fields that `update()` may change, in table order. */
export const CHANGE_FIELDS = ["queue", "priority", "state", "type", "tags"] as const;

/** One of {@linkcode CHANGE_FIELDS}. */
export type ChangeField = typeof CHANGE_FIELDS[number];

/** The fixed statements of a store, and its transaction helper. */
export interface Statements {
  /** The database they belong to. */
  db: DatabaseSync;
  /** `(id)` → the ticket row. */
  ticket: StatementSync;
  /** `(ticket_id)` → its notes, oldest first. */
  notes: StatementSync;
  /** `(value, updated_at, id)` per change field, for single-field writes. */
  setField: Record<ChangeField, StatementSync>;
  /** `(queue, priority, state, type, tags, updated_at, id)`. */
  update: StatementSync;
  /** `(updated_at, id)`. */
  touch: StatementSync;
  /** `(id | null, ticket_id, body, subject, author, created_at)` → lastInsertRowid. */
  insertNote: StatementSync;
  /** `(id)` → the note row. */
  note: StatementSync;
  /** `(id)`. */
  deleteNote: StatementSync;
  /** `(key, ticket_id)` → a row when the ticket has the mark. */
  mark: StatementSync;
  /** `(key, ticket_id, run, at)`. */
  insertMark: StatementSync;
  /** `(key, ticket_id)`. */
  deleteMark: StatementSync;
  /** `(ticket_id, field, old_value, new_value, actor, run, at)`. */
  record: StatementSync;
  /** `(id, subject, body, queue, priority, state, type, customer, tags, updated_at)`. */
  upsert: StatementSync;
  /** Inserts a ticket unless one with its id exists (then changes nothing). */
  insertNew: StatementSync;
  /** Runs `fn` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none. */
  transaction<T>(fn: () => T): T;
}

/**
 * Prepares the fixed statements of an open store.
 *
 * @param db The store's database (see `openDatabase`).
 * @returns The statements.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { strictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * strictEqual(sql.ticket.get("nope"), undefined);
 * db.close();
 * ```
 */
export function prepareStatements(db: DatabaseSync): Statements {
  const p = (text: string) => db.prepare(text);
  const setField = {} as Record<ChangeField, StatementSync>;
  for (const f of CHANGE_FIELDS) {
    setField[f] = p(`UPDATE tickets SET ${f} = ?, updated_at = ? WHERE id = ?`);
  }
  return {
    db,
    ticket: p("SELECT * FROM tickets WHERE id = ?"),
    notes: p("SELECT body, subject, author, created_at FROM notes WHERE ticket_id = ? ORDER BY id"),
    setField,
    update: p(
      "UPDATE tickets SET queue = ?, priority = ?, state = ?, type = ?, tags = ?, " +
        "updated_at = ? WHERE id = ?",
    ),
    touch: p("UPDATE tickets SET updated_at = ? WHERE id = ?"),
    insertNote: p(
      "INSERT INTO notes (id, ticket_id, body, subject, author, created_at) " +
        "VALUES (?, ?, ?, ?, ?, ?)",
    ),
    note: p("SELECT * FROM notes WHERE id = ?"),
    deleteNote: p("DELETE FROM notes WHERE id = ?"),
    mark: p("SELECT run FROM marks WHERE key = ? AND ticket_id = ?"),
    insertMark: p("INSERT INTO marks (key, ticket_id, run, at) VALUES (?, ?, ?, ?)"),
    deleteMark: p("DELETE FROM marks WHERE key = ? AND ticket_id = ?"),
    record: p(
      "INSERT INTO history (ticket_id, field, old_value, new_value, actor, run, at) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    upsert: p(insertTicket(upsertChanged())),
    insertNew: p(insertTicket("DO NOTHING")),
    transaction: transactionOf(db),
  };
}

/** The ticket columns an import writes, besides `id` and `updated_at`. */
const COLUMNS = "subject, body, queue, priority, state, type, customer, tags";

/**
 * Inserts a ticket from `(id, subject, body, queue, priority, state, type, customer, tags,
 * updated_at)`; unset text fields and tags (NULL) get their defaults.
 */
function insertTicket(onConflict: string): string {
  return `INSERT INTO tickets (id, ${COLUMNS}, updated_at) VALUES (?1, ` +
    `COALESCE(?2, ''), COALESCE(?3, ''), COALESCE(?4, ''), COALESCE(?5, ''), ?6, ?7, ?8, ` +
    `COALESCE(?9, '[]'), ?10) ON CONFLICT (id) ${onConflict}`;
}

/**
 * On an existing id: unset fields (NULL) keep the stored value; an unchanged row is not
 * rewritten.
 */
function upsertChanged(): string {
  const named = COLUMNS.split(", ");
  const given = (n: number, c: string) => `COALESCE(?${n}, ${c})`;
  return "DO UPDATE SET " + named.map((c, i) => `${c} = ${given(i + 2, c)}`).join(", ") +
    `, updated_at = ?10 WHERE (${named.map((c, i) => given(i + 2, c)).join(", ")}) ` +
    `IS NOT (${COLUMNS})`;
}

/** Runs `fn` in one `BEGIN IMMEDIATE` transaction of `db`: all of it is written, or none. */
function transactionOf(db: DatabaseSync): <T>(fn: () => T) => T {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  return <T>(fn: () => T): T => {
    begin.run();
    try {
      const value = fn();
      commit.run();
      return value;
    } catch (e) {
      if (db.isTransaction) rollback.run();
      throw e;
    }
  };
}
