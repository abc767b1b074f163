/**
 * Reading tickets with TicketGet: several ids per request, with articles and dynamic fields,
 * as OTOBO's raw data (the mapping to unified tickets is `_mapping.ts`'s).
 *
 * @module
 */
import type { PluginLogger } from "@otai/cli/plugin";
import { OtoboError } from "./_errors.ts";
import type { OtoboClient } from "./_otobo_client.ts";
import type { ResolvedOptions } from "./_options.ts";
import type { Data } from "./_transport.ts";

/** The client a ticket system talks through, the service params, and what it remembers. */
export interface Connection {
  /** The HTTP client. */
  client: OtoboClient;
  /** The service params. */
  options: ResolvedOptions;
  /** Where warnings go (tags not written). */
  log?: PluginLogger | undefined;
  /**
   * By mark key: tickets whose processing under it started and did not finish (the outcome of a
   * write is unknown, or it failed part-way), so that the next unprocessed search returns them
   * whatever their state now.
   */
  unsettled: Map<string, Set<string>>;
  /** Tags the tags field accepts (true) or refuses (false), as OTOBO answered. */
  tagVerdicts: Map<string, boolean>;
}

/**
 * A ticket id as OTOBO takes it: a whole number. OTOBO on MySQL reads `"7abc"` as ticket 7 and
 * Znuny refuses anything else, so nothing else is ever sent.
 *
 * @param id The id given.
 * @returns The id as digits, or undefined when it is not a whole number.
 */
export function ticketKey(id: unknown): string | undefined {
  if (typeof id !== "string" && typeof id !== "number") return undefined;
  const key = String(id).trim();
  return /^\d+$/.test(key) ? String(Number(key)) : undefined;
}

/**
 * The tickets with these ids that the agent may see, raw, by id, a page at a time.
 *
 * @param c The connection.
 * @param ids Whole-number ids.
 * @param what The action, for messages.
 * @returns The TicketGet tickets by id.
 * @throws {OtoboError} When a request fails.
 */
export async function readTickets(
  c: Connection,
  ids: string[],
  what: string,
): Promise<Map<string, Data>> {
  const byId = new Map<string, Data>();
  for (let i = 0; i < ids.length; i += c.options.page_size) {
    const page = ids.slice(i, i + c.options.page_size);
    const data = await c.client.call({
      operation: "TicketGet",
      method: "GET",
      route: `/Ticket/${page.join(",")}`,
      data: { AllArticles: 1, DynamicFields: 1 },
      what,
    });
    for (const t of Array.isArray(data.Ticket) ? data.Ticket as Data[] : []) {
      // TicketGet answers numbers (TicketID: 7) where TicketSearch answers strings.
      byId.set(String(t.TicketID), t);
    }
  }
  return byId;
}

/**
 * One ticket, raw, or null when OTOBO has none with that id the agent may see (it answers
 * AccessDenied for both).
 *
 * @param c The connection.
 * @param key A whole-number id.
 * @param what The action, for messages.
 * @returns The ticket, or null.
 * @throws {OtoboError} When the request fails otherwise.
 */
export async function readTicket(c: Connection, key: string, what: string): Promise<Data | null> {
  try {
    return (await readTickets(c, [key], what)).get(key) ?? null;
  } catch (e) {
    if (e instanceof OtoboError && (e.kind === "access" || isNotFound(e.code))) return null;
    throw e;
  }
}

function isNotFound(code: string | undefined): boolean {
  return code === "TicketGet.NotValidTicketID" || code === "TicketGet.NotTicketData";
}
