/**
 * Undoes recorded changes, newest first, recording each undo as a change of its own.
 *
 * @module
 */
import { type ChangeContext, encodeField, record } from "./_changes.ts";
import { CHANGE_FIELDS, type ChangeField } from "./_statements.ts";
import { ticketRow } from "./_ticket_rows.ts";

/** A row of the `history` table. */
export interface HistoryDbRow {
  id: number;
  ticket_id: string;
  field: string;
  /** JSON. */
  old_value: string;
  /** JSON. */
  new_value: string;
  actor: string;
  run: string;
  at: string;
}

/** What a revert did. */
export interface RevertCounts {
  /** Changes undone. */
  reverted: number;
  /**
   * Changes left alone because the value was changed again afterwards by a change not being
   * reverted (or the note or mark is already gone).
   */
  conflicts: number;
  /** Tickets touched. */
  tickets: number;
}

interface StoredNote {
  id: number;
  body: string;
  subject: string | null;
  author: string | null;
  created_at: string;
}

/**
 * Undoes history rows in the order given (pass newest first). A change is undone only while
 * the value is still what that change wrote; otherwise it counts as a conflict and stays.
 *
 * @param rows The history rows to undo, newest first.
 * @param ctx Statements, actor, run and time of the undo (call inside a transaction).
 * @returns The counts.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { ticketRow } from "./_ticket_rows.ts";
 * import { writeChanges } from "./_changes.ts";
 * import { type HistoryDbRow, revertRows } from "./_revert_rows.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * sql.upsert.run("1", "Hi", "", "IT", "low", null, null, null, null, "2024-01-01T00:00:00.000Z");
 * writeChanges(ticketRow(sql, "1")!, { queue: "HR" }, { sql, actor: "a", run: "r1", at: "2024-02-01T00:00:00.000Z" });
 * const rows = db.prepare("SELECT * FROM history ORDER BY id DESC").all() as unknown as HistoryDbRow[];
 * const counts = revertRows(rows, { sql, actor: "a", run: "undo", at: "2024-03-01T00:00:00.000Z" });
 * deepStrictEqual(counts, { reverted: 1, conflicts: 0, tickets: 1 });
 * strictEqual(ticketRow(sql, "1")?.queue, "IT");
 * db.close();
 * ```
 */
export function revertRows(rows: readonly HistoryDbRow[], ctx: ChangeContext): RevertCounts {
  const counts = { reverted: 0, conflicts: 0, tickets: 0 };
  const touched = new Set<string>();
  for (const row of rows) {
    if (undo(row, ctx)) {
      counts.reverted++;
      touched.add(row.ticket_id);
    } else {
      counts.conflicts++;
    }
  }
  counts.tickets = touched.size;
  return counts;
}

function undo(row: HistoryDbRow, ctx: ChangeContext): boolean {
  const { sql } = ctx;
  const id = row.ticket_id;
  if ((CHANGE_FIELDS as readonly string[]).includes(row.field)) {
    const field = row.field as ChangeField;
    const current = ticketRow(sql, id);
    if (!current || encodeField(field, current[field]) !== row.new_value) return false;
    const old = field === "tags" ? row.old_value : JSON.parse(row.old_value) as string | null;
    sql.setField[field].run(old, ctx.at, id);
  } else if (row.field === "note") {
    const added = JSON.parse(row.new_value) as StoredNote | null;
    const removed = JSON.parse(row.old_value) as StoredNote | null;
    if (added) {
      const stored = sql.note.get(added.id);
      if (!stored || stored.ticket_id !== id) return false;
      sql.deleteNote.run(added.id);
    }
    if (removed) {
      if (sql.note.get(removed.id) || !ticketRow(sql, id)) return false;
      const { id: noteId, body, subject, author, created_at } = removed;
      sql.insertNote.run(noteId, id, body, subject, author, created_at);
    }
    sql.touch.run(ctx.at, id);
  } else if (row.field === "mark") {
    const added = JSON.parse(row.new_value) as string | null;
    const removed = JSON.parse(row.old_value) as string | null;
    if (added !== null) {
      if (!sql.mark.get(added, id)) return false;
      sql.deleteMark.run(added, id);
    }
    if (removed !== null) {
      if (sql.mark.get(removed, id) || !ticketRow(sql, id)) return false;
      sql.insertMark.run(removed, id, ctx.run, ctx.at);
    }
  } else {
    return false;
  }
  record({ ticket: id, field: row.field, old_value: row.new_value, new_value: row.old_value }, ctx);
  return true;
}
