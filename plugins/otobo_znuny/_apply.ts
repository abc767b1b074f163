/**
 * `apply()`, and `update()` and `addNote()` through it: the change, the note and the processed
 * mark in one TicketUpdate, written at most once, then the tags in their own.
 *
 * @module
 */
import type { Ticket, TicketChanges, TicketNote } from "@otai/cli/plugin";
import { OtoboError } from "./_errors.ts";
import { noteArticle, ticketChanges, toTicket, type WriteOptions } from "./_mapping.ts";
import { checkMark, markEntry, marksOf } from "./_marks.ts";
import { type Connection, readTicket, ticketKey } from "./_read.ts";
import { writeTags } from "./_tags.ts";
import type { Data } from "./_transport.ts";
import { hasNote, writeOnce, type WriteRequest } from "./_write.ts";

/** What `apply()` does to one ticket. */
export interface ApplyAction {
  /** Fields to change; `tags` are written after the rest, and never fail the call. */
  changes?: TicketChanges | undefined;
  /** A note to add. */
  note?: TicketNote | undefined;
  /** Mark the ticket processed under this key; a ticket that has it already is left alone. */
  mark?: string | undefined;
}

/** What `apply()` did. */
export interface ApplyResult {
  /** False when the ticket already had the mark, so nothing was done. */
  applied: boolean;
  /** The ticket as it is now. */
  ticket: Ticket;
  /** Tags that were not written (not possible values of the tags field, or a failure). */
  unwritten_tags?: string[];
}

/** Limits how many tickets per key are remembered as unsettled. */
const MAX_UNSETTLED = 1000;

/**
 * Applies changes, a note and a mark to one ticket: reads it (a ticket with the mark is left
 * alone; under a mark, a note the ticket already has from this agent is not added again), sends
 * one TicketUpdate with the fields, the note and the new mark value, reconciling after an
 * unknown outcome, then writes the tags.
 *
 * @param c The connection.
 * @param id The ticket id.
 * @param action The changes, note and mark.
 * @param options `readBack: false` skips reading the ticket at the end (for `addNote`).
 * @returns Whether it was applied, and the ticket.
 * @throws {TypeError} For an id that is not a whole number, or a bad mark or note.
 * @throws {OtoboError} When OTOBO refuses the update or cannot be reached.
 */
export async function applyToTicket(
  c: Connection,
  id: string,
  action: ApplyAction,
  options: { verb: string; readBack?: boolean } = { verb: "update" },
): Promise<ApplyResult> {
  const key = ticketKey(id);
  if (!key) {
    throw new TypeError(
      `Cannot ${options.verb} OTOBO ticket ${JSON.stringify(id)}: a ticket id is a whole ` +
        "number (OTOBO's TicketID)",
    );
  }
  const mark = action.mark === undefined ? undefined : checkMark(action.mark);
  const what = `${options.verb} ticket "${key}"`;
  const before = await readTicket(c, key, what);
  if (!before) throw noSuchTicket(c, key, options.verb);
  if (mark && marksOf(before, c.options.mark_field).includes(mark)) {
    return { applied: false, ticket: ticketOf(c, before) };
  }
  const request = requestOf(c, before, { ...action, mark });
  // Under a mark the note belongs to processing the ticket once: an earlier try that added it
  // and did not finish (its outcome unknown, even in another process) has done that part.
  if (mark && request.article && hasNote(before, request.article)) request.article = undefined;
  if (request.ticket || request.article || request.mark) {
    try {
      await writeOnce(c, key, { before, request, what });
    } catch (e) {
      if (mark && e instanceof OtoboError && e.outcome !== "none") remember(c, mark, key);
      throw e;
    }
    if (mark) c.unsettled.get(mark)?.delete(key);
  }
  const tags = action.changes?.tags;
  const unwritten = tags === undefined ? [] : await writeTags(c, key, tags);
  const result: ApplyResult = { applied: true, ticket: predicted(c, before, action) };
  if (options.readBack !== false) result.ticket = await readBackOr(c, key, result.ticket);
  if (unwritten.length) result.unwritten_tags = unwritten;
  return result;
}

/**
 * The ticket as OTOBO has it now; when it cannot be read (the write is done by then), the
 * ticket as the update made it, so that a done update is never reported as failed.
 */
async function readBackOr(c: Connection, key: string, fallback: Ticket): Promise<Ticket> {
  try {
    const after = await readTicket(c, key, `read ticket "${key}" back`);
    if (after) return ticketOf(c, after);
    c.log?.warn(
      "Ticket {ticket} was updated, but {user} can no longer read it; check that {user} has " +
        "ro permission on its new queue",
      { ticket: key, user: c.client.user },
    );
  } catch (e) {
    c.log?.warn("Ticket {ticket} was updated, but reading it back failed: {error}", {
      ticket: key,
      error: (e as Error).message,
    });
  }
  return fallback;
}

/** The ticket before, with the changes and the note of the action. */
function predicted(c: Connection, before: Data, action: ApplyAction): Ticket {
  const ticket = ticketOf(c, before);
  const { tags, ...fields } = action.changes ?? {};
  for (const [k, v] of Object.entries(fields)) if (v) Object.assign(ticket, { [k]: v });
  if (tags) ticket.tags = tags;
  if (action.note) ticket.notes = [...ticket.notes, action.note];
  return ticket;
}

function requestOf(c: Connection, before: Data, action: ApplyAction): WriteRequest {
  const o = c.options;
  const write: WriteOptions = {
    pendingMinutes: o.pending_minutes,
    channel: o.note_channel,
    timeUnit: o.note_time_unit,
    notifyAgents: o.notify_agents,
  };
  const { mark, note, changes } = action;
  return {
    ticket: changes ? ticketChanges(changes, write) : undefined,
    article: note ? noteArticle(note, write) : undefined,
    mark: mark
      ? { field: o.mark_field, key: mark, entry: markEntry(before, o.mark_field, mark) }
      : undefined,
  };
}

function ticketOf(c: Connection, raw: Data): Ticket {
  return toTicket(raw, { tagsField: c.options.tags_field });
}

function remember(c: Connection, mark: string, key: string): void {
  let ids = c.unsettled.get(mark);
  if (!ids) c.unsettled.set(mark, ids = new Set());
  if (ids.size >= MAX_UNSETTLED) ids.delete(ids.values().next().value!);
  ids.add(key);
}

function noSuchTicket(c: Connection, key: string, verb: string): OtoboError {
  return new OtoboError(
    `Cannot ${verb} ticket "${key}" in OTOBO: there is no such ticket that ` +
      `"${c.client.user}" may see; check the id and that "${c.client.user}" has ro ` +
      `permission on its queue`,
    { kind: "access", operation: "TicketGet" },
  );
}
