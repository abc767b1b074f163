/**
 * The emulator's TicketUpdate operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Ticket::TicketUpdate`: the same checks in the same
 * order, the same error codes and messages, and the same answer
 * (`{ TicketID, TicketNumber, ArticleID? }`, the operation's `IncludeTicketData` being off).
 *
 * @module
 */
import { addArticle, checkArticle } from "./_article.ts";
import {
  type Catalog,
  type EmulatorUser,
  formatTime,
  type Store,
  type StoredTicket,
} from "./_store.ts";
import { type Data, fail, isHashWithData, type OperationResult } from "./_data.ts";

/**
 * Runs TicketUpdate: changes Title, Queue, State, Priority, Type, CustomerUser and dynamic
 * field values, and adds an Article. Attachments are checked for shape but not stored.
 *
 * @param store The data; changed in place.
 * @param auth Authenticates the request (called after the parameter checks OTOBO makes first).
 * @param data The request data.
 * @returns The response data.
 */
export function ticketUpdate(
  store: Store,
  auth: () => EmulatorUser | undefined,
  data: Data,
): OperationResult {
  const missing = checkRequired(data);
  if (missing) return missing;
  const user = auth();
  if (!user) return fail("TicketUpdate.AuthFail", "TicketUpdate: User could not be authenticated!");
  const ticket = data.TicketNumber
    ? [...store.tickets.values()].find((t) => t.TicketNumber === String(data.TicketNumber))
    : store.tickets.get(Number(data.TicketID));
  if (!ticket || !mayUse(user, ticket.Queue)) return denied();
  const update = readUpdate(store.catalog, data);
  if ("error" in update) return update.error;
  // Moving a ticket needs rw on the target queue too (_CheckUpdatePermissions).
  if (update.names.queue && !mayUse(user, update.names.queue)) return denied();
  const articleId = applyUpdate(ticket, update, { store, user });
  const body: Record<string, unknown> = {
    TicketID: data.TicketID ?? String(ticket.TicketID),
    TicketNumber: ticket.TicketNumber,
  };
  if (articleId !== undefined) body.ArticleID = articleId;
  return { status: 200, body };
}

/** A checked update: the trimmed ticket changes, the names they resolve to, article, fields. */
interface Update {
  changes: Data;
  names: Names;
  article: Data | undefined;
  fields: Data[];
}

/** Queue, State, Priority and Type as names, from their IDs or names. */
interface Names {
  queue: string | undefined;
  state: string | undefined;
  priority: string | undefined;
  type: string | undefined;
}

function denied(): OperationResult {
  return fail(
    "TicketUpdate.AccessDenied",
    "TicketUpdate: User does not have access to the ticket!",
  );
}

function bad(what: string): OperationResult {
  return fail("TicketUpdate.InvalidParameter", `TicketUpdate: ${what} parameter is invalid!`);
}

function mayUse(user: EmulatorUser, queue: string): boolean {
  return !user.queues || user.queues.includes(queue);
}

/** The checks TicketUpdate makes before it authenticates. */
function checkRequired(data: Data): OperationResult | undefined {
  if (!data.TicketID && !data.TicketNumber) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: TicketID or TicketNumber is required!",
    );
  }
  if ((data.UserLogin || data.CustomerUserLogin) && !data.Password) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: Password or SessionID is required!",
    );
  }
  return undefined;
}

/** Checks the request's Ticket, Article, DynamicField and Attachment, in OTOBO's order. */
function readUpdate(catalog: Catalog, data: Data): Update | { error: OperationResult } {
  const shape = checkShapes(data);
  if (shape) return { error: shape };
  const changes = trimmed(data.Ticket as Data | undefined);
  const names = namesOf(catalog, changes);
  const name = checkNames(catalog, changes, names);
  if (name) return { error: name };
  let article: Data | undefined;
  if (data.Article !== undefined) {
    article = trimmed(data.Article as Data);
    const problem = checkArticle(article);
    if (problem) return { error: problem };
  }
  const fields = data.DynamicField === undefined
    ? []
    : (Array.isArray(data.DynamicField) ? data.DynamicField : [data.DynamicField]) as Data[];
  const field = checkFields(catalog, fields);
  if (field) return { error: field };
  return { changes, names, article, fields };
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

function namesOf(catalog: Catalog, changes: Data): Names {
  const byIdOrName = (items: string[], id: unknown, name: unknown) =>
    name ? String(name) : items[Number(id) - 1];
  return {
    queue: byIdOrName(catalog.queues, changes.QueueID, changes.Queue),
    state: byIdOrName(Object.keys(catalog.states), changes.StateID, changes.State),
    priority: byIdOrName(catalog.priorities, changes.PriorityID, changes.Priority),
    type: byIdOrName(catalog.types, changes.TypeID, changes.Type),
  };
}

function checkNames(catalog: Catalog, changes: Data, names: Names): OperationResult | undefined {
  const { queue, state, priority, type } = names;
  if ((changes.QueueID || changes.Queue) && !catalog.queues.includes(queue ?? "")) {
    return bad("Ticket->QueueID or Ticket->Queue");
  }
  if ((changes.TypeID || changes.Type) && !catalog.types.includes(type ?? "")) {
    return bad("Ticket->TypeID or Ticket->Type");
  }
  if ((changes.StateID || changes.State) && !(state && state in catalog.states)) {
    return bad("Ticket->StateID or Ticket->State");
  }
  if ((changes.PriorityID || changes.Priority) && !catalog.priorities.includes(priority ?? "")) {
    return bad("Ticket->PriorityID or Ticket->Priority");
  }
  return undefined;
}

function checkFields(catalog: Catalog, fields: Data[]): OperationResult | undefined {
  for (const field of fields) {
    for (const needed of ["Name", "Value"]) {
      const v = field?.[needed];
      if (v === undefined || v === null || (typeof v === "object" && !Array.isArray(v))) {
        return fail(
          "TicketUpdate.MissingParameter",
          `TicketUpdate: DynamicField->${needed} parameter is missing!`,
        );
      }
    }
    if (!catalog.dynamic_fields.includes(String(field.Name))) return bad("DynamicField->Name");
  }
  return undefined;
}

/** Writes a checked update to the ticket; returns the new article's id, if one was added. */
function applyUpdate(
  ticket: StoredTicket,
  update: Update,
  { store, user }: { store: Store; user: EmulatorUser },
): number | undefined {
  const { changes, names, article, fields } = update;
  const now = formatTime(new Date());
  let changed = false;
  const set = <K extends "Title" | "Queue" | "State" | "Priority" | "Type" | "CustomerUserID">(
    key: K,
    value: string | undefined,
  ) => {
    if (value !== undefined && ticket[key] !== value) {
      ticket[key] = value;
      changed = true;
    }
  };
  set("Title", changes.Title === undefined ? undefined : String(changes.Title));
  set("Queue", names.queue);
  set("State", names.state);
  set("Priority", names.priority);
  set("Type", names.type);
  set(
    "CustomerUserID",
    changes.CustomerUser === undefined ? undefined : String(changes.CustomerUser),
  );
  let articleId: number | undefined;
  if (article) {
    articleId = addArticle(ticket, article, { store, user, now });
    changed = true;
  }
  for (const field of fields) {
    ticket.DynamicField[String(field.Name)] = field.Value;
    changed = true;
  }
  // OTOBO moves the ticket's change_time with every history entry; so does the emulator.
  if (changed) ticket.Changed = now;
  return articleId;
}

/** TicketUpdate strips leading and trailing white space from every plain value. */
function trimmed(data: Data | undefined): Data {
  const out: Data = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    out[key] = typeof value === "string" ? value.trim() : value;
  }
  return out;
}
