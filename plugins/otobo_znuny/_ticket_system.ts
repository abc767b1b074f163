/**
 * The `Client` service object: otai's TicketSystem interface over OTOBO's GenericInterface,
 * with `apply()` for changes, note and processed mark in one TicketUpdate.
 *
 * @module
 */
import type {
  PluginLogger,
  Ticket,
  TicketChanges,
  TicketNote,
  TicketSearch,
} from "@otai/cli/plugin";
import { type ApplyAction, type ApplyResult, applyToTicket } from "./_apply.ts";
import { toTicket } from "./_mapping.ts";
import type { ResolvedOptions } from "./_options.ts";
import type { OtoboClient } from "./_otobo_client.ts";
import { type Connection, readTicket, ticketKey } from "./_read.ts";
import { searchTickets } from "./_search_tickets.ts";

export type { ApplyAction, ApplyResult };

/** What the `Client` service offers: the TicketSystem methods, `apply`, and `ping`. */
export interface OtoboTicketSystem {
  /** Tickets matching a search (`unprocessed: key` for those without that mark). */
  search(query: TicketSearch & { unprocessed?: string }): Promise<Ticket[]>;
  /** One ticket, or null when OTOBO has none with that id the agent may see. */
  get(id: string): Promise<Ticket | null>;
  /** Applies changes; returns the updated ticket. */
  update(id: string, changes: TicketChanges): Promise<Ticket>;
  /** Adds an internal note. */
  addNote(id: string, note: TicketNote): Promise<void>;
  /** Changes, note and processed mark in one TicketUpdate, at most once. */
  apply(id: string, action: ApplyAction): Promise<ApplyResult>;
  /** Checks that OTOBO answers and accepts the login. */
  ping(): Promise<{ user: string; session: boolean }>;
}

/**
 * Creates the TicketSystem over a client.
 *
 * @param client The HTTP client.
 * @param options The service params.
 * @param log Where warnings go.
 * @returns The service object.
 */
export function createTicketSystem(
  client: OtoboClient,
  options: ResolvedOptions,
  log?: PluginLogger,
): OtoboTicketSystem {
  const c: Connection = { client, options, log, unsettled: new Map(), tagVerdicts: new Map() };
  return {
    search: (query) => searchTickets(c, query),
    get: (id) => getTicket(c, id),
    update: async (id, changes) =>
      (await applyToTicket(c, id, { changes: changes ?? {} }, { verb: "update" })).ticket,
    addNote: async (id, note) => {
      await applyToTicket(c, id, { note }, { verb: "add a note to", readBack: false });
    },
    apply: (id, action) => applyToTicket(c, id, action ?? {}, { verb: "update" }),
    ping: async () => ({ user: await client.ping(), session: options.session }),
  };
}

async function getTicket(c: Connection, id: string): Promise<Ticket | null> {
  // A ticket id is a whole number; OTOBO has no ticket under anything else.
  const key = ticketKey(id);
  if (!key) return null;
  const raw = await readTicket(c, key, `get ticket "${key}"`);
  return raw ? toTicket(raw, { tagsField: c.options.tags_field }) : null;
}
