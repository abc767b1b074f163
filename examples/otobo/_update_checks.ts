/**
 * The checks OTOBO's TicketUpdate makes on the request's `Ticket` and `DynamicField` before it
 * writes anything (`_CheckTicket`, `_CheckDynamicField`), with its error codes and messages.
 *
 * @module
 */
import { type Catalog, ticketField } from "./_catalog.ts";
import { type Data, fail, type OperationResult } from "./_data.ts";

/** Queue, State, Priority and Type as names, from their IDs or names. */
export interface Names {
  /** The queue name. */
  queue: string | undefined;
  /** The state name. */
  state: string | undefined;
  /** The priority name. */
  priority: string | undefined;
  /** The type name. */
  type: string | undefined;
}

function bad(what: string): OperationResult {
  return fail("TicketUpdate.InvalidParameter", `TicketUpdate: ${what} parameter is invalid!`);
}

/**
 * The names a `Ticket` refers to, by name or by ID.
 *
 * @param catalog The valid names.
 * @param ticket The request's Ticket.
 * @returns The names.
 */
export function namesOf(catalog: Catalog, ticket: Data): Names {
  const byIdOrName = (items: string[], id: unknown, name: unknown) =>
    name ? String(name) : id ? items[Number(id) - 1] : undefined;
  return {
    queue: byIdOrName(catalog.queues, ticket.QueueID, ticket.Queue),
    state: byIdOrName(Object.keys(catalog.states), ticket.StateID, ticket.State),
    priority: byIdOrName(catalog.priorities, ticket.PriorityID, ticket.Priority),
    type: byIdOrName(catalog.types, ticket.TypeID, ticket.Type),
  };
}

/**
 * `_CheckTicket`: every name given must exist, in OTOBO's order; a PendingTime must be a
 * `{ Diff }` in minutes or a complete date.
 *
 * @param catalog The valid names.
 * @param ticket The request's Ticket, trimmed.
 * @returns The error TicketUpdate answers, or undefined.
 */
export function checkTicket(catalog: Catalog, ticket: Data): OperationResult | undefined {
  const { queue, state, priority, type } = namesOf(catalog, ticket);
  if ((ticket.QueueID || ticket.Queue) && !catalog.queues.includes(queue ?? "")) {
    return bad("Ticket->QueueID or Ticket->Queue");
  }
  if ((ticket.LockID || ticket.Lock) && !["lock", "unlock"].includes(String(ticket.Lock))) {
    return bad("Ticket->LockID or Ticket->Lock");
  }
  if ((ticket.TypeID || ticket.Type) && !catalog.types.includes(type ?? "")) {
    return bad("Ticket->TypeID or Ticket->Type");
  }
  if ((ticket.StateID || ticket.State) && !(state && state in catalog.states)) {
    return bad("Ticket->StateID or Ticket->State");
  }
  if ((ticket.PriorityID || ticket.Priority) && !catalog.priorities.includes(priority ?? "")) {
    return bad("Ticket->PriorityID or Ticket->Priority");
  }
  if (ticket.PendingTime && pendingTimeOf(ticket.PendingTime, Date.now()) === undefined) {
    return bad("Ticket->PendingTime");
  }
  return undefined;
}

/**
 * A PendingTime (`{ Diff: minutes }` or `{ Year, Month, Day, Hour, Minute }`) as epoch ms.
 *
 * @param value The request's PendingTime.
 * @param now The time a Diff counts from.
 * @returns The time, or undefined when OTOBO's ValidatePendingTime refuses it.
 */
export function pendingTimeOf(value: unknown, now: number): number | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const p = value as Data;
  const keys = Object.keys(p);
  if (p.Diff !== undefined) {
    // Only a whole, positive number of minutes, and nothing beside it.
    if (keys.length !== 1 || !/^\d+$/.test(String(p.Diff)) || !Number(p.Diff)) return undefined;
    return now + Number(p.Diff) * 60_000;
  }
  const parts = ["Year", "Month", "Day", "Hour", "Minute"].map((k) => Number(p[k]));
  if (parts.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
  const [year, month, day, hour, minute] = parts as [number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour, minute);
  const d = new Date(time);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60
    ? time
    : undefined;
}

/**
 * `_CheckDynamicField`: a Name and a Value (text or a list), a valid field, an article for an
 * article field, and a value the field accepts: a Multiselect or Dropdown takes only its
 * PossibleValues (one unknown value fails the whole request).
 *
 * @param catalog The valid dynamic fields.
 * @param field One entry of the request's DynamicField.
 * @param hasArticle Whether the request has an Article.
 * @returns The error TicketUpdate answers, or undefined.
 */
export function checkDynamicField(
  catalog: Catalog,
  field: Data,
  hasArticle: boolean,
): OperationResult | undefined {
  for (const needed of ["Name", "Value"]) {
    const v = field[needed];
    if (v === undefined || v === null || (typeof v === "object" && !Array.isArray(v))) {
      return fail(
        "TicketUpdate.MissingParameter",
        `TicketUpdate: DynamicField->${needed} parameter is missing!`,
      );
    }
  }
  const config = catalog.dynamic_fields.find((f) => f.name === String(field.Name));
  if (!config) return bad("DynamicField->Name");
  if (config.object_type === "Article" && !hasArticle) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: To create an article DynamicField an article is required!",
    );
  }
  if (config.type === "Multiselect" || config.type === "Dropdown") {
    const values = Array.isArray(field.Value) ? field.Value : [field.Value];
    const allowed = config.possible_values ?? [];
    if (String(field.Value).length && values.some((v) => !allowed.includes(String(v)))) {
      return bad("DynamicField->Value");
    }
  }
  return undefined;
}

/**
 * Whether a dynamic field value can be stored: a Text or TextArea field holds one text, and a
 * list sent to it fails in the database (PostgreSQL refuses the bind) after the ticket fields
 * and the article were written.
 *
 * @param catalog The valid dynamic fields.
 * @param field One entry of the request's DynamicField.
 * @returns False when the database refuses the value.
 */
export function storable(catalog: Catalog, field: Data): boolean {
  const config = ticketField(catalog, String(field.Name));
  return !(config && (config.type === "Text" || config.type === "TextArea") &&
    Array.isArray(field.Value));
}
