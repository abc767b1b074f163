/**
 * The `Client` service object: otai's TicketSystem interface over OTOBO's GenericInterface.
 *
 * @module
 */
import type { Ticket, TicketChanges, TicketNote, TicketSearch } from "../../plugin.ts";
import { OtoboError } from "./_errors.ts";
import { noteRequest, searchRequest, ticketIds, toTicket, updateRequest } from "./_mapping.ts";
import type { ResolvedOptions } from "./_options.ts";
import type { Data, OtoboClient } from "./_otobo_client.ts";

/** What the `Client` service offers: the TicketSystem methods, and `ping`. */
export interface OtoboTicketSystem {
  /** Tickets matching a search, oldest change first. */
  search(query: TicketSearch): Promise<Ticket[]>;
  /** One ticket, or null when OTOBO has none with that id the agent may see. */
  get(id: string): Promise<Ticket | null>;
  /** Applies changes; returns the updated ticket. */
  update(id: string, changes: TicketChanges): Promise<Ticket>;
  /** Adds an internal note. */
  addNote(id: string, note: TicketNote): Promise<void>;
  /** Checks that OTOBO answers and accepts the login. */
  ping(): Promise<{ user: string; session: boolean }>;
}

/** The client a ticket system talks through, and the service params. */
interface Connection {
  client: OtoboClient;
  options: ResolvedOptions;
}

/**
 * Creates the TicketSystem over a client.
 *
 * @param client The HTTP client.
 * @param options The service params.
 * @returns The service object.
 */
export function createTicketSystem(
  client: OtoboClient,
  options: ResolvedOptions,
): OtoboTicketSystem {
  const c: Connection = { client, options };
  return {
    search: (query) => searchTickets(c, query),
    get: (id) => getTicket(c, id),
    update: (id, changes) => updateTicket(c, id, changes),
    addNote: (id, note) => addNote(c, id, note),
    ping: async () => ({ user: await client.ping(), session: options.session }),
  };
}

const SEARCH_KEYS = new Set(["queue", "state", "since", "limit", "offset"]);

async function searchTickets(c: Connection, query: TicketSearch): Promise<Ticket[]> {
  const offset = checkSearch(query);
  if (query.limit === 0) return [];
  const data = await c.client.call({
    operation: "TicketSearch",
    method: "POST",
    route: "/TicketSearch",
    data: searchRequest(query),
    what: "search tickets",
  });
  const ids = ticketIds(data.TicketID).slice(offset, offset + query.limit);
  return await getTickets(c, ids, "get the tickets found");
}

/** Checks a search and returns its offset. */
function checkSearch(query: TicketSearch): number {
  if (!query || typeof query !== "object" || !Number.isInteger(query.limit) || query.limit < 0) {
    throw new RangeError("Cannot search OTOBO: limit must be a whole number of 0 or more");
  }
  const unknown = Object.keys(query).filter((k) => !SEARCH_KEYS.has(k));
  if (unknown.length) {
    throw new TypeError(
      `Cannot search OTOBO: it does not support ${unknown.map((k) => `"${k}"`).join(", ")}` +
        (unknown.includes("unprocessed")
          ? "; OTOBO keeps no processed marks, so select tickets by state or queue and " +
            "change that state or queue when a ticket is done"
          : `; use ${[...SEARCH_KEYS].join(", ")}`),
    );
  }
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError("Cannot search OTOBO: offset must be a whole number of 0 or more");
  }
  return offset;
}

/** The tickets with these ids that the agent may see, in the order given, a page at a time. */
async function getTickets(c: Connection, ids: string[], what: string): Promise<Ticket[]> {
  const { page_size, tags_field } = c.options;
  const tickets: Ticket[] = [];
  for (let i = 0; i < ids.length; i += page_size) {
    const page = ids.slice(i, i + page_size);
    const data = await c.client.call({
      operation: "TicketGet",
      method: "GET",
      route: `/Ticket/${page.map(encodeURIComponent).join(",")}`,
      data: { AllArticles: 1, DynamicFields: 1 },
      what,
    });
    const byId = new Map(
      (Array.isArray(data.Ticket) ? data.Ticket as Data[] : []).map((t) => [
        String(t.TicketID),
        toTicket(t, { tagsField: tags_field }),
      ]),
    );
    for (const id of page) {
      const ticket = byId.get(id);
      if (ticket) tickets.push(ticket);
    }
  }
  return tickets;
}

async function getTicket(c: Connection, id: string): Promise<Ticket | null> {
  const key = checkId(id, "get");
  // OTOBO answers AccessDenied both for a ticket that does not exist and for one the agent
  // may not see; either way there is no such ticket for this agent.
  if (!/^\d+$/.test(key)) return null;
  try {
    const [ticket] = await getTickets(c, [key], `get ticket "${key}"`);
    return ticket ?? null;
  } catch (e) {
    if (e instanceof OtoboError && (e.kind === "access" || isNotFound(e.code))) return null;
    throw e;
  }
}

async function updateTicket(c: Connection, id: string, changes: TicketChanges): Promise<Ticket> {
  const key = checkId(id, "update");
  const data = updateRequest(changes ?? {}, c.options.tags_field);
  const changed = Object.keys(data).length > 0;
  if (changed) await sendUpdate(c, key, data, `update ticket "${key}"`);
  const ticket = await getTicket(c, key);
  if (!ticket) {
    const user = c.client.user;
    throw new OtoboError(
      changed
        ? `Cannot read ticket "${key}" back from OTOBO after updating it; check that ` +
          `"${user}" still has ro permission on its new queue`
        : `Cannot update ticket "${key}" in OTOBO: there is no such ticket that ` +
          `"${user}" may see`,
      { kind: "access", operation: "TicketGet" },
    );
  }
  return ticket;
}

async function addNote(c: Connection, id: string, note: TicketNote): Promise<void> {
  const key = checkId(id, "add a note to");
  const data = noteRequest(note, c.options.note_channel);
  await sendUpdate(c, key, data, `add a note to ticket "${key}"`);
}

async function sendUpdate(c: Connection, id: string, data: Data, what: string): Promise<void> {
  await c.client.call({
    operation: "TicketUpdate",
    method: "PATCH",
    route: `/Ticket/${encodeURIComponent(id)}`,
    data,
    what,
  });
}

function checkId(id: unknown, verb: string): string {
  if ((typeof id !== "string" && typeof id !== "number") || String(id).trim() === "") {
    throw new TypeError(`Cannot ${verb} an OTOBO ticket: the id must be a ticket id, got ${id}`);
  }
  return String(id).trim();
}

function isNotFound(code: string | undefined): boolean {
  return code === "TicketGet.NotValidTicketID" || code === "TicketGet.NotTicketData";
}
