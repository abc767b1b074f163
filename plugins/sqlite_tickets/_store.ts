/**
 * The ticket store: a {@linkcode TicketSystem} kept in one SQLite file, with a history of every
 * change, undo by run or time, and per-ticket processed markers.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Ticket, TicketChanges, TicketNote, TicketSystem } from "@otai/cli/plugin";
import { type ChangeContext, writeChanges, writeMark, writeNote } from "./_changes.ts";
import { checkAction, checkChanges, checkName, checkNote, checkSearch } from "./_checks.ts";
import { storeError, unknownTicket } from "./_errors.ts";
import { importFormat, type ImportResult, importText, readImportFile } from "./_import_text.ts";
import type { ImportFormat } from "./_records.ts";
import { type HistoryDbRow, revertRows } from "./_revert_rows.ts";
import { historyQuery, revertQuery, searchQuery } from "./_queries.ts";
import { openDatabase } from "./_schema.ts";
import { prepareStatements, type Statements } from "./_statements.ts";
import { readTicket, type TicketRow, ticketRow } from "./_ticket_rows.ts";
import type {
  ApplyAction,
  ApplyResult,
  HistoryQuery,
  HistoryRow,
  RevertQuery,
  RevertResult,
  RunOptions,
  TicketQuery,
} from "./_types.ts";

/** Options for {@linkcode TicketStore}. */
export interface TicketStoreOptions {
  /** Who the history names for changes (default `"otai"`). */
  actor?: string;
  /** The run id of changes that name none (default: a new id per store). */
  run?: string;
  /** The clock (for tests). */
  now?: () => Date;
}

/**
 * A help-desk ticket store in a SQLite file (WAL journal beside it). Every method is
 * synchronous except `importFile`; every value returned is plain data.
 *
 * @example
 * ```ts
 * import { TicketStore } from "./_store.ts";
 * import { strictEqual } from "node:assert/strict";
 * using store = new TicketStore(":memory:", { actor: "docs" });
 * strictEqual(store.get("nope"), null);
 * ```
 */
export class TicketStore implements TicketSystem {
  #path: string;
  #db: DatabaseSync;
  #sql: Statements;
  #actor: string;
  #run: string;
  #now: () => Date;
  #cache = new Map<string, StatementSync>();

  /**
   * Opens (or creates) the store at `path`.
   *
   * @param path The db file; its directory must be writable (SQLite keeps journals there).
   * @param options Actor, default run id, clock.
   * @throws {Error} When the file is not an otai ticket store, is newer, or is not writable.
   */
  constructor(path: string, options: TicketStoreOptions = {}) {
    this.#path = path;
    this.#actor = options.actor ?? "otai";
    this.#now = options.now ?? (() => new Date());
    this.#run = options.run ?? newRunId(this.#now());
    this.#db = openDatabase(path);
    try {
      this.#sql = prepareStatements(this.#db);
    } catch (e) {
      this.#db.close();
      throw storeError(e, { path, action: "open" });
    }
  }

  /**
   * Tickets matching a query, oldest change first (then by id).
   *
   * @param query Filters, `limit` (at most 10000) and `offset`.
   * @returns The tickets with their notes.
   * @throws {RangeError} When the limit is above 10000.
   */
  search(query: TicketQuery): Ticket[] {
    const { sql, args } = searchQuery(checkSearch(query));
    const rows = this.#read(() => this.#prepared(sql).all(...args)) as unknown as TicketRow[];
    return rows.map((row) => readTicket(this.#sql, row)!);
  }

  /**
   * One ticket with its notes.
   *
   * @param id The ticket id.
   * @returns The ticket, or null when there is none with that id.
   */
  get(id: string): Ticket | null {
    checkName(id, { action: "get ticket", name: "id" });
    return this.#read(() => readTicket(this.#sql, id));
  }

  /**
   * Changes a ticket's queue, priority, state, type or tags; records each changed field.
   *
   * @param id The ticket id.
   * @param changes The fields to set.
   * @param options The run to record the change under.
   * @returns The ticket afterwards.
   * @throws {Deno.errors.NotFound} When there is no ticket with that id.
   */
  update(id: string, changes: TicketChanges, options: RunOptions = {}): Ticket {
    return this.apply(id, { changes: checkChanges(changes), ...runOf(options) }).ticket;
  }

  /**
   * Adds a note to a ticket; records it.
   *
   * @param id The ticket id.
   * @param note The note; `author` defaults to the store's actor.
   * @param options The run to record the note under.
   * @throws {Deno.errors.NotFound} When there is no ticket with that id.
   */
  addNote(id: string, note: TicketNote, options: RunOptions = {}): void {
    this.apply(id, { note: checkNote(note), ...runOf(options) });
  }

  /**
   * Applies changes, adds a note and sets a processed marker in one transaction: after a crash
   * either all of it happened or none. With a `mark` the ticket already has, nothing is done.
   *
   * @param id The ticket id.
   * @param action What to do.
   * @returns Whether it was done, and the ticket afterwards.
   * @throws {Deno.errors.NotFound} When there is no ticket with that id.
   */
  apply(id: string, action: ApplyAction): ApplyResult {
    const checked = checkAction(id, action);
    const ctx = this.#context(checked.run);
    return this.#write(() =>
      this.#sql.transaction(() => {
        const row = ticketRow(this.#sql, id);
        if (!row) throw unknownTicket(checked.verb, id);
        if (checked.mark !== undefined && !writeMark(id, checked.mark, ctx)) {
          return { applied: false, ticket: readTicket(this.#sql, row)! };
        }
        if (checked.changes) writeChanges(row, checked.changes, ctx);
        if (checked.note) writeNote(id, checked.note, ctx);
        return { applied: true, ticket: readTicket(this.#sql, id)! };
      })
    );
  }

  /**
   * Imports tickets from a CSV or JSONL file (UTF-8, at most 256 MiB), upserting by id, in one
   * transaction.
   *
   * @param path The file (relative to the working directory).
   * @param options `format` when the extension does not say it; `only_new` to leave tickets
   * that are already stored alone.
   * @returns How many rows were imported, skipped, already stored or repeated, why rows were
   * skipped, and one warning line per skipped or repeated row.
   * @throws {Error} When the file cannot be read, is too large or UTF-16, or its CSV header is
   * unusable.
   */
  async importFile(
    path: string,
    options: { format?: ImportFormat; only_new?: boolean } = {},
  ): Promise<ImportResult> {
    checkName(path, { action: "import tickets", name: "path" });
    const format = importFormat(path, options?.format);
    const bytes = await readImportFile(path);
    try {
      return this.#write(() =>
        importText(this.#sql, bytes, {
          file: path,
          format,
          at: this.#time(),
          onlyNew: options?.only_new === true,
        })
      );
    } catch (e) {
      if (e instanceof SyntaxError) {
        throw new SyntaxError(`Cannot import "${path}": ${e.message}`);
      }
      throw e;
    }
  }

  /**
   * Lists recorded changes, newest first.
   *
   * @param query Filters by ticket and run, and a limit (default 1000, at most 10000).
   * @returns The changes.
   */
  history(query: HistoryQuery = {}): HistoryRow[] {
    const { sql, args } = historyQuery(query);
    const rows = this.#read(() => this.#prepared(sql).all(...args));
    return (rows as unknown as HistoryDbRow[]).map((r) => ({
      id: r.id,
      ticket: r.ticket_id,
      field: r.field,
      old_value: JSON.parse(r.old_value),
      new_value: JSON.parse(r.new_value),
      actor: r.actor,
      run: r.run,
      at: r.at,
    }));
  }

  /**
   * Undoes the changes of a run, or since a time (or both), newest first, in one transaction.
   * The undo is itself recorded, under a new run id. A change whose value was changed again by
   * something not being undone is left alone and counted as a conflict.
   *
   * @param query `run`, `since`, or both.
   * @returns The counts and the undo's run id.
   * @throws {TypeError} When neither `run` nor `since` is given.
   */
  revert(query: RevertQuery): RevertResult {
    const { sql, args } = revertQuery(query);
    const ctx = this.#context(newRunId(this.#now(), "revert"));
    const counts = this.#write(() =>
      this.#sql.transaction(() => {
        const rows = this.#prepared(sql).all(...args) as unknown as HistoryDbRow[];
        return revertRows(rows, ctx);
      })
    );
    return { run: ctx.run, ...counts };
  }

  /** Closes the database. */
  [Symbol.dispose](): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #context(run: string | undefined): ChangeContext {
    return { sql: this.#sql, actor: this.#actor, run: run ?? this.#run, at: this.#time() };
  }

  #time(): string {
    return this.#now().toISOString();
  }

  #prepared(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (!statement) this.#cache.set(sql, statement = this.#db.prepare(sql));
    return statement;
  }

  #read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(e, { path: this.#path, action: "read" });
    }
  }

  #write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(e, { path: this.#path, action: "write" });
    }
  }
}

function runOf(options: RunOptions | undefined): RunOptions {
  return options?.run === undefined ? {} : { run: options.run };
}

function newRunId(at: Date, prefix = "run"): string {
  const stamp = at.toISOString().replace(/[-:]|\.\d+/g, "");
  const random = crypto.getRandomValues(new Uint8Array(3));
  return `${prefix}-${stamp}-${[...random].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
