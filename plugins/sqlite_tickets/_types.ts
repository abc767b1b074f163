/**
 * The shapes the ticket store's methods take and return, beyond the unified ticket model.
 *
 * @module
 */
import type { Ticket, TicketChanges, TicketNote, TicketSearch } from "@otai/cli/plugin";
import type { RevertCounts } from "./_revert_rows.ts";

/** A `search()` query: the {@linkcode TicketSearch} filters, plus `unprocessed`. */
export interface TicketQuery extends TicketSearch {
  /** Only tickets not yet marked with this key (see `apply()`). */
  unprocessed?: string;
}

/** Which run a change belongs to. */
export interface RunOptions {
  /** The run id recorded in the history (default: the store's). */
  run?: string;
}

/** What `apply()` does to one ticket, all in one transaction. */
export interface ApplyAction extends RunOptions {
  /** Changes to apply. */
  changes?: TicketChanges;
  /** A note to add. */
  note?: TicketNote;
  /** Marks the ticket processed under this key; if it already is, nothing is done. */
  mark?: string;
}

/** What `apply()` did. */
export interface ApplyResult {
  /** False when the ticket already had the mark, so nothing was done. */
  applied: boolean;
  /** The ticket afterwards. */
  ticket: Ticket;
}

/** Which history rows to list. */
export interface HistoryQuery {
  /** Only changes of this ticket. */
  ticket?: string;
  /** Only changes of this run. */
  run?: string;
  /** At most this many, newest first (default 1000, at most 10000). */
  limit?: number;
}

/** One recorded change of one field. */
export interface HistoryRow {
  /** Its sequence number; higher is newer. */
  id: number;
  /** The ticket id. */
  ticket: string;
  /** `queue`, `priority`, `state`, `type`, `tags`, `note` or `mark`. */
  field: string;
  /** The value before (a note: `{ id, body, subject, author, created_at }`; null when none). */
  old_value: unknown;
  /** The value after. */
  new_value: unknown;
  /** Who made it. */
  actor: string;
  /** The run it belongs to. */
  run: string;
  /** When (ISO 8601). */
  at: string;
}

/** Which changes `revert()` undoes: of a run, since a time, or both. */
export interface RevertQuery {
  /** Only changes of this run. */
  run?: string;
  /** Only changes at or after this time (ISO 8601). */
  since?: string;
}

/** What `revert()` did. */
export interface RevertResult extends RevertCounts {
  /** The run id the undo itself is recorded under. */
  run: string;
}
