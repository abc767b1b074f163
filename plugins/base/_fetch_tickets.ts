/**
 * The `FetchTickets` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe, type Ticket } from "@otai/cli/plugin";
import { defined, ticketSystem } from "./_tickets.ts";

/** What `FetchTickets` returns. */
export interface FetchTicketsResult {
  /** The tickets found, oldest change first. */
  tickets: Ticket[];
  /** How many. */
  count: number;
}

const MAX_LIMIT = 10_000;
const OFFSET = "give offset as a whole number of 0 or more";
const LIMIT = `give limit as a whole number from 1 to ${MAX_LIMIT}; page with offset for more`;

const params = z.object({
  queue: z.string().min(1, { error: "give queue a name, or leave it out" }).optional(),
  state: z.string().min(1, { error: "give state a name, or leave it out" }).optional(),
  since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
    error: 'give since as an ISO 8601 time, e.g. "2025-05-01T12:00:00Z"',
  }).optional(),
  limit: z.number({ error: LIMIT }).int({ error: LIMIT }).min(1, { error: LIMIT }).max(
    MAX_LIMIT,
    { error: LIMIT },
  ).default(100),
  offset: z.number({ error: OFFSET }).int({ error: OFFSET }).min(0, { error: OFFSET }).optional(),
  unprocessed: z.string().min(1, {
    error: "give unprocessed the mark key, e.g. unprocessed: triage",
  }).optional(),
});

/** Searches the injected ticket system, passing on only the filters given. */
export const fetchTicketsPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "FetchTickets",
  services: { tickets: "TicketSystem" },
  description: "Searches the injected ticket system: queue, state, since, limit, offset",
  params,
  async run(ctx): Promise<FetchTicketsResult> {
    const found = await ticketSystem(ctx).search!(defined(ctx.params));
    if (!Array.isArray(found)) {
      throw new TypeError(
        `Cannot fetch tickets: the ticket system's search() returned ${describe(found)}, not ` +
          "a list; inject a ticket-system service as tickets",
      );
    }
    return { tickets: found as Ticket[], count: found.length };
  },
});

function describe(value: unknown): string {
  return value === null ? "null" : typeof value;
}
