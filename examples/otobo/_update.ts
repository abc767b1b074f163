/**
 * The emulator's TicketUpdate operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Ticket::TicketUpdate`: the same checks in the same
 * order, the same error codes and messages, the same non-atomic writes, and the same answer
 * (`{ TicketID, TicketNumber, ArticleID? }`, the operation's `IncludeTicketData` being off).
 *
 * @module
 */
import { checkArticle } from "./_article.ts";
import {
  type Data,
  fail,
  fault,
  isHashWithData,
  type OperationResult,
  ticketIdOf,
} from "./_data.ts";
import type { StopAfter } from "./_handler.ts";
import { type EmulatorUser, may, type Store } from "./_store.ts";
import { checkDynamicField, checkTicket, namesOf } from "./_update_checks.ts";
import { type Update, writeUpdate } from "./_update_write.ts";

/**
 * Runs TicketUpdate: changes Title, Queue, Lock, State (with PendingTime), Priority, Type,
 * CustomerUser and dynamic field values, and adds an Article. Attachments are checked for shape
 * but not stored.
 *
 * @param store The data; changed in place.
 * @param auth Authenticates the request (called after the parameter checks OTOBO makes first).
 * @param data The request data.
 * @param stopAfter Stop part-way, as a process that dies does.
 * @returns The response data.
 */
export function ticketUpdate(
  store: Store,
  auth: () => EmulatorUser | undefined,
  data: Data,
  stopAfter?: StopAfter,
): OperationResult {
  const missing = checkRequired(data);
  if (missing) return missing;
  const user = auth();
  if (!user) return fail("TicketUpdate.AuthFail", "TicketUpdate: User could not be authenticated!");
  const ticket = data.TicketNumber
    ? [...store.tickets.values()].find((t) => t.TicketNumber === String(data.TicketNumber))
    : store.tickets.get(ticketIdOf(data.TicketID, store.product));
  if (!ticket || !may(user, ticket.Queue, "ro")) {
    return fail(
      "TicketUpdate.AccessDenied",
      "TicketUpdate: User does not have access to the ticket!",
    );
  }
  const update = readUpdate(store, data);
  if ("status" in update) return update;
  const written = writeUpdate(ticket, update, { store, user, stopAfter });
  if ("status" in written) return written;
  const body: Record<string, unknown> = {
    // The TicketID as the request gave it (the route's text), the rest from the database.
    TicketID: data.TicketNumber ? ticket.TicketID : data.TicketID,
    TicketNumber: ticket.TicketNumber,
  };
  if (written.articleId !== undefined) body.ArticleID = written.articleId;
  return { status: 200, body };
}

/** The checks TicketUpdate makes before it authenticates. */
function checkRequired(data: Data): OperationResult | undefined {
  const missing = (message: string) => fail("TicketUpdate.MissingParameter", message);
  if (!data.TicketID && !data.TicketNumber) {
    return missing("TicketUpdate: TicketID or TicketNumber is required!");
  }
  if (!data.UserLogin && !data.CustomerUserLogin && !data.SessionID) {
    return missing("TicketUpdate: UserLogin, CustomerUserLogin or SessionID is required!");
  }
  if ((data.UserLogin || data.CustomerUserLogin) && !data.Password) {
    return missing("TicketUpdate: Password or SessionID is required!");
  }
  return undefined;
}

/** Checks the request's Ticket, Article, DynamicField and Attachment, in OTOBO's order. */
function readUpdate(store: Store, data: Data): Update | OperationResult {
  const shape = checkShapes(data);
  if (shape) return shape;
  const ticket = trimmed(data.Ticket as Data | undefined);
  if (data.Ticket !== undefined) {
    const problem = checkTicket(store.catalog, ticket);
    if (problem) return problem;
  }
  let article: Data | undefined;
  if (data.Article !== undefined) {
    article = trimmed(data.Article as Data);
    const problem = checkArticle(article, store);
    if (problem) return problem;
  }
  const fields = listOf(data.DynamicField);
  for (const field of fields) {
    // Not a ReturnError in OTOBO: the operation fails, and the provider answers HTTP 500.
    if (!isHashWithData(field)) {
      return fault("TicketUpdate: Ticket->DynamicField parameter is invalid!");
    }
    const problem = checkDynamicField(store.catalog, trimmed(field), article !== undefined);
    if (problem) return problem;
  }
  const attachment = checkAttachments(listOf(data.Attachment), article !== undefined);
  if (attachment) return attachment;
  return { ticket, names: namesOf(store.catalog, ticket), article, fields: fields.map(trimmed) };
}

function checkShapes(data: Data): OperationResult | undefined {
  for (const key of ["Ticket", "Article"]) {
    if (data[key] !== undefined && !isHashWithData(data[key])) {
      return fail("TicketUpdate.InvalidParameter", `TicketUpdate: ${key} parameter is not valid!`);
    }
  }
  for (const key of ["DynamicField", "Attachment"]) {
    const value = data[key];
    if (value !== undefined && !isHashWithData(value) && !(Array.isArray(value) && value.length)) {
      return fail(
        "TicketUpdate.MissingParameter",
        `TicketUpdate: ${key} parameter is missing or not valid!`,
      );
    }
  }
  return undefined;
}

/** `_CheckAttachment`: an attachment needs an article, and Content, ContentType and Filename. */
function checkAttachments(items: Data[], hasArticle: boolean): OperationResult | undefined {
  for (const item of items) {
    if (!isHashWithData(item)) {
      return fault("TicketUpdate: Ticket->Attachment parameter is invalid!");
    }
    if (!hasArticle) {
      return fail(
        "TicketUpdate.MissingParameter",
        "TicketUpdate: To create an attachment an article is needed!",
      );
    }
    for (const needed of ["Content", "ContentType", "Filename"]) {
      if (typeof item[needed] !== "string" || !item[needed]) {
        return fail(
          "TicketUpdate.MissingParameter",
          `TicketUpdate: Attachment->${needed} parameter is missing!`,
        );
      }
    }
  }
  return undefined;
}

function listOf(value: unknown): Data[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Data[];
}

/** TicketUpdate strips leading and trailing white space from every plain value. */
function trimmed(data: Data | undefined): Data {
  const out: Data = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    out[key] = typeof value === "string" ? value.trim() : value;
  }
  return out;
}
