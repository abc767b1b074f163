/**
 * What OTOBO's TicketUpdate does once its checks passed (`_TicketUpdate`): the permission checks
 * of `_CheckUpdatePermissions`, then the writes one after another, each its own statement:
 * title, queue, lock, type, state, customer, priority, then the article, then the dynamic
 * fields. Nothing is rolled back, so a failure part-way leaves the earlier writes in place.
 *
 * @module
 */
import { addArticle } from "./_article.ts";
import { type Catalog, ticketField } from "./_catalog.ts";
import { type Data, fail, fault, type OperationResult } from "./_data.ts";
import type { StopAfter } from "./_handler.ts";
import { type EmulatorUser, formatTime, may, type Store, type StoredTicket } from "./_store.ts";
import { type Names, pendingTimeOf, storable } from "./_update_checks.ts";

/** A checked update: the trimmed ticket changes, the names they resolve to, article, fields. */
export interface Update {
  /** The request's Ticket, trimmed. */
  ticket: Data;
  /** The names it refers to. */
  names: Names;
  /** The request's Article with its defaults, if any. */
  article: Data | undefined;
  /** The request's DynamicField entries. */
  fields: Data[];
}

/** Who writes, when, and how far a `partial` fault lets the writes go. */
export interface WriteContext {
  /** The data. */
  store: Store;
  /** The agent. */
  user: EmulatorUser;
  /** Stop (as if the process died) after the ticket fields or after the article. */
  stopAfter?: StopAfter | undefined;
}

/**
 * Checks the update permissions and writes the update, step by step.
 *
 * @param ticket The ticket; changed in place.
 * @param update The checked update.
 * @param ctx The store, the agent, and where to stop.
 * @returns The new article's id, or the answer of a failure (earlier writes stay).
 */
export function writeUpdate(
  ticket: StoredTicket,
  update: Update,
  ctx: WriteContext,
): { articleId: number | undefined } | OperationResult {
  const denied = checkPermissions(ticket, update, ctx);
  if (denied) return denied;
  const now = formatTime(new Date());
  const before = JSON.stringify(ticket);
  const done = (result: { articleId: number | undefined } | OperationResult) => {
    if (JSON.stringify(ticket) !== before) ticket.Changed = now;
    return result;
  };
  const fields = writeFields(ticket, update, ctx);
  if (fields) return done(fields);
  if (ctx.stopAfter === "ticket") return done(fault("TicketUpdate: the process died"));
  const articleId = update.article
    ? addArticle(ticket, update.article, { store: ctx.store, user: ctx.user, now })
    : undefined;
  if (ctx.stopAfter === "article") return done(fault("TicketUpdate: the process died"));
  for (const field of update.fields) {
    if (!storable(ctx.store.catalog, field)) {
      return done(fault(
        `Dynamic Field ${field.Name} could not be set, please contact the system administrator`,
      ));
    }
    setField(ctx.store.catalog, ticket, field);
  }
  return done({ articleId });
}

/** `_CheckUpdatePermissions`, against the ticket's current queue. */
function checkPermissions(
  ticket: StoredTicket,
  update: Update,
  { store, user }: WriteContext,
): OperationResult | undefined {
  const { names, article, fields } = update;
  const denied = (what: string) =>
    fail("TicketUpdate.AccessDenied", `TicketUpdate: Does not have permissions to ${what}!`);
  const on = (type: string) => may(user, ticket.Queue, type);
  // Znuny has no separate note permission here: adding an article takes rw.
  if (article && !on(store.product === "znuny" ? "rw" : "note")) {
    return denied("create new articles");
  }
  if (fields.length && !on("rw")) return denied("update dynamic fields");
  if (names.queue && !on("move")) return denied("update queue");
  if (names.priority && !on("priority")) return denied("update priority");
  const stateType = names.state ? store.catalog.states[names.state] ?? "" : "";
  if (/^(close|pending)/i.test(stateType) && !on("close")) return denied("update state");
  return undefined;
}

/** Title, queue, lock, type, state (with pending time), customer and priority, in this order. */
function writeFields(
  ticket: StoredTicket,
  update: Update,
  { store, user }: WriteContext,
): OperationResult | undefined {
  const { ticket: changes, names } = update;
  if (changes.Title) ticket.Title = String(changes.Title);
  if (names.queue && names.queue !== ticket.Queue) {
    // TicketQueueSet checks move_into on the target and returns false: the operation fails.
    if (!may(user, names.queue, "move_into")) {
      return fault("Ticket queue could not be updated, please contact system administrator!");
    }
    ticket.Queue = names.queue;
  }
  if (changes.Lock) ticket.Lock = String(changes.Lock);
  if (names.type) ticket.Type = names.type;
  if (names.state) {
    const stateType = store.catalog.states[names.state] ?? "";
    if (/^close/i.test(stateType)) ticket.Lock = "unlock";
    if (/^pending/i.test(stateType)) {
      const until = pendingTimeOf(changes.PendingTime, Date.now());
      if (until === undefined) {
        return fail(
          "TicketUpdate.MissingParameter",
          "Can't set a ticket on a pending state without pendig time!",
        );
      }
      ticket.PendingTime = formatTime(new Date(until));
    }
    ticket.State = names.state;
  }
  if (changes.CustomerUser) ticket.CustomerUserID = String(changes.CustomerUser);
  if (names.priority) ticket.Priority = names.priority;
  return undefined;
}

/** Stores a value: a list for a Multiselect, one text for other fields; `""` clears it. */
function setField(catalog: Catalog, ticket: StoredTicket, field: Data): void {
  const name = String(field.Name);
  const config = ticketField(catalog, name);
  const value = field.Value;
  if (value === "" || (Array.isArray(value) && !value.length)) {
    delete ticket.DynamicField[name];
  } else if (config?.type === "Multiselect") {
    ticket.DynamicField[name] = (Array.isArray(value) ? value : [value]).map(String);
  } else {
    ticket.DynamicField[name] = String(value);
  }
}
