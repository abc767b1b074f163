/**
 * The writes that change a ticket, each recorded in the history (one row per changed field).
 * They run inside a transaction the caller opens.
 *
 * @module
 */
import type { TicketChanges, TicketNote } from "@otai/cli/plugin";
import { CHANGE_FIELDS, type ChangeField, type Statements } from "./_statements.ts";
import type { TicketRow } from "./_ticket_rows.ts";

/** Where, by whom, when and in which run a change is made. */
export interface ChangeContext {
  /** The store's statements. */
  sql: Statements;
  /** Who makes it. */
  actor: string;
  /** The run it belongs to. */
  run: string;
  /** The time of the change (ISO 8601). */
  at: string;
}

/**
 * Applies changes to one ticket; only fields whose value differs are written and recorded.
 *
 * @param row The ticket's current row.
 * @param changes Checked changes.
 * @param ctx Statements, actor, run and time.
 * @returns The fields that changed.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { ticketRow } from "./_ticket_rows.ts";
 * import { writeChanges } from "./_changes.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * sql.upsert.run("1", "Hi", "", "IT", "low", null, null, null, null, "2024-01-01T00:00:00.000Z");
 * const ctx = { sql, actor: "me", run: "r1", at: "2024-02-01T00:00:00.000Z" };
 * deepStrictEqual(writeChanges(ticketRow(sql, "1")!, { queue: "IT", priority: "high" }, ctx), ["priority"]);
 * db.close();
 * ```
 */
export function writeChanges(
  row: TicketRow,
  changes: TicketChanges,
  ctx: ChangeContext,
): ChangeField[] {
  const next = { ...row };
  const changed: ChangeField[] = [];
  for (const field of CHANGE_FIELDS) {
    const value = changes[field];
    if (value === undefined) continue;
    const stored = field === "tags" ? JSON.stringify(value) : value as string;
    if (stored === next[field]) continue;
    record({
      ticket: row.id,
      field,
      old_value: encodeField(field, next[field]),
      new_value: encodeField(field, stored),
    }, ctx);
    next[field] = stored;
    changed.push(field);
  }
  if (changed.length) {
    ctx.sql.update.run(next.queue, next.priority, next.state, next.type, next.tags, ctx.at, row.id);
  }
  return changed;
}

/**
 * Adds a note to a ticket and records it (field `"note"`, the note with its id as new value).
 *
 * @param id The ticket id (it must exist).
 * @param note A checked note; its author defaults to the actor, its time to `ctx.at`.
 * @param ctx Statements, actor, run and time.
 * @returns The note's id.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { writeNote } from "./_changes.ts";
 * import { strictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * sql.upsert.run("1", "Hi", "", "IT", "low", null, null, null, null, "2024-01-01T00:00:00.000Z");
 * const ctx = { sql, actor: "me", run: "r1", at: "2024-02-01T00:00:00.000Z" };
 * strictEqual(writeNote("1", { body: "hello" }, ctx), 1);
 * db.close();
 * ```
 */
export function writeNote(
  id: string,
  note: TicketNote,
  ctx: ChangeContext,
): number {
  const stored = {
    body: note.body,
    subject: note.subject ?? null,
    author: note.author ?? ctx.actor,
    created_at: note.created_at ?? ctx.at,
  };
  const { lastInsertRowid } = ctx.sql.insertNote.run(
    null,
    id,
    stored.body,
    stored.subject,
    stored.author,
    stored.created_at,
  );
  const noteId = Number(lastInsertRowid);
  const new_value = JSON.stringify({ id: noteId, ...stored });
  record({ ticket: id, field: "note", old_value: "null", new_value }, ctx);
  ctx.sql.touch.run(ctx.at, id);
  return noteId;
}

/**
 * Marks a ticket as processed under a key, unless it already is, and records the mark.
 *
 * @param id The ticket id (it must exist).
 * @param key The marker key.
 * @param ctx Statements, actor, run and time.
 * @returns False when the ticket already had the mark.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { writeMark } from "./_changes.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * sql.upsert.run("1", "Hi", "", "IT", "low", null, null, null, null, "2024-01-01T00:00:00.000Z");
 * const ctx = { sql, actor: "me", run: "r1", at: "2024-02-01T00:00:00.000Z" };
 * deepStrictEqual([writeMark("1", "triage", ctx), writeMark("1", "triage", ctx)], [true, false]);
 * db.close();
 * ```
 */
export function writeMark(id: string, key: string, ctx: ChangeContext): boolean {
  if (ctx.sql.mark.get(key, id)) return false;
  ctx.sql.insertMark.run(key, id, ctx.run, ctx.at);
  record({ ticket: id, field: "mark", old_value: "null", new_value: JSON.stringify(key) }, ctx);
  return true;
}

/** One change of one field, as the history keeps it. */
export interface RecordedChange {
  /** The ticket id. */
  ticket: string;
  /** `queue`, `priority`, `state`, `type`, `tags`, `note` or `mark`. */
  field: string;
  /** The value before, as JSON. */
  old_value: string;
  /** The value after, as JSON. */
  new_value: string;
}

/**
 * Adds one history row.
 *
 * @param change The ticket, the field and its values before and after.
 * @param ctx Statements, actor, run and time.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { record } from "./_changes.ts";
 * import { strictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const sql = prepareStatements(db);
 * const ctx = { sql, actor: "me", run: "r", at: "2024-01-01T00:00:00Z" };
 * record({ ticket: "1", field: "queue", old_value: '"a"', new_value: '"b"' }, ctx);
 * strictEqual(db.prepare("SELECT count(*) AS n FROM history").get()?.n, 1);
 * db.close();
 * ```
 */
export function record(change: RecordedChange, ctx: ChangeContext): void {
  const { ticket, field, old_value, new_value } = change;
  ctx.sql.record.run(ticket, field, old_value, new_value, ctx.actor, ctx.run, ctx.at);
}

/**
 * A stored field value as JSON, the way the history keeps it (tags are stored as JSON already).
 *
 * @param field The field.
 * @param stored Its value in the `tickets` table.
 * @returns The JSON text.
 *
 * @example
 * ```ts
 * import { encodeField } from "./_changes.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(encodeField("queue", "IT"), '"IT"');
 * strictEqual(encodeField("tags", '["a"]'), '["a"]');
 * ```
 */
export function encodeField(field: ChangeField, stored: string | null): string {
  return field === "tags" ? stored ?? "[]" : JSON.stringify(stored);
}
