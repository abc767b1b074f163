/**
 * `search()`: TicketSearch on the web service's search route, then TicketGet for the tickets
 * found; with `unprocessed`, the tickets without that processed mark.
 *
 * @module
 */
import type { Ticket, TicketSearch } from "@otai/cli/plugin";
import { searchRequest, ticketIds, toTicket } from "./_mapping.ts";
import { checkMark, marksOf } from "./_marks.ts";
import { type Connection, readTicket, readTickets } from "./_read.ts";
import type { Data } from "./_transport.ts";

const SEARCH_KEYS = new Set(["queue", "state", "since", "limit", "offset", "unprocessed"]);
/** How many ids an unprocessed search asks TicketSearch for, to page through their marks. */
const SCAN_LIMIT = 10_000;

/** A search with `unprocessed`: the mark key. */
type Search = TicketSearch & { unprocessed?: string };

/**
 * Searches tickets, oldest change first. `GET /Ticket` (the stock route) sends the criteria as
 * query parameters, `POST /TicketSearch` as a JSON body. With `unprocessed: key`, tickets
 * that carry the mark are skipped (OTOBO cannot search for a value a field lacks, so marks are
 * read with the tickets); tickets whose processing under that key this service started and
 * could not finish come first, whatever their state or queue now.
 *
 * @param c The connection.
 * @param query The search.
 * @returns The tickets.
 * @throws {TypeError} For a filter OTOBO cannot honour.
 * @throws {RangeError} For a bad limit, offset or since.
 */
export async function searchTickets(c: Connection, query: Search): Promise<Ticket[]> {
  const offset = checkSearch(query);
  if (query.limit === 0) return [];
  const key = query.unprocessed === undefined ? undefined : checkMark(query.unprocessed);
  const [method, route] = c.options.search_route.split(" ") as ["GET" | "POST", string];
  const data = searchRequest(query);
  if (key) data.Limit = SCAN_LIMIT;
  const answer = await c.client.call({
    operation: "TicketSearch",
    method,
    route,
    data,
    what: "search tickets",
  });
  const ids = ticketIds(answer.TicketID);
  if (!key) {
    const page = ids.slice(offset, offset + query.limit);
    const found = await readTickets(c, page, "get the tickets found");
    return page.flatMap((id) => {
      const raw = found.get(id);
      return raw ? [ticketOf(c, raw)] : [];
    });
  }
  return await unprocessed(c, ids, { key, offset, limit: query.limit });
}

/** The tickets without the mark: the unsettled ones first, then those found, a page at a time. */
async function unprocessed(
  c: Connection,
  ids: string[],
  window: { key: string; offset: number; limit: number },
): Promise<Ticket[]> {
  const { key, limit } = window;
  let skip = window.offset;
  const tickets: Ticket[] = [];
  const take = (raw: Data) => {
    if (marksOf(raw, c.options.mark_field).includes(key)) return;
    if (skip > 0) skip--;
    else tickets.push(ticketOf(c, raw));
  };
  const unsettled = c.unsettled.get(key) ?? new Set<string>();
  for (const id of [...unsettled]) {
    if (tickets.length >= limit) return tickets;
    if (ids.includes(id)) continue;
    const raw = await readTicket(c, id, `get ticket "${id}"`);
    if (!raw || marksOf(raw, c.options.mark_field).includes(key)) unsettled.delete(id);
    else take(raw);
  }
  for (let i = 0; i < ids.length && tickets.length < limit; i += c.options.page_size) {
    const page = ids.slice(i, i + c.options.page_size);
    const found = await readTickets(c, page, "get the tickets found");
    for (const id of page) {
      const raw = found.get(id);
      if (raw && tickets.length < limit) take(raw);
    }
  }
  return tickets;
}

/** Checks a search and returns its offset. */
function checkSearch(query: Search): number {
  if (!query || typeof query !== "object" || !Number.isInteger(query.limit) || query.limit < 0) {
    throw new RangeError("Cannot search OTOBO: limit must be a whole number of 0 or more");
  }
  const unknown = Object.keys(query).filter((k) => !SEARCH_KEYS.has(k));
  if (unknown.length) {
    throw new TypeError(
      `Cannot search OTOBO: it does not support ${unknown.map((k) => `"${k}"`).join(", ")}; ` +
        `use ${[...SEARCH_KEYS].join(", ")}`,
    );
  }
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError("Cannot search OTOBO: offset must be a whole number of 0 or more");
  }
  return offset;
}

function ticketOf(c: Connection, raw: Data): Ticket {
  return toTicket(raw, { tagsField: c.options.tags_field });
}
