/**
 * The `Search` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { ticketSystem } from "./_tickets.ts";

/** Searches tickets. */
export const searchPipe = definePipe({
  kind: "pipe",
  name: "Search",
  services: { tickets: "otobo-znuny:Client" },
  description:
    "Searches tickets by queue, state, change time and processed mark: { tickets, count }",
  params: z.strictObject({
    queue: z.string().min(1).optional(),
    state: z.string().min(1).optional(),
    since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
      error: "must be an ISO 8601 time, e.g. 2025-03-01T00:00:00Z",
    }).optional(),
    limit: z.number().int().min(1).max(1000).default(50),
    offset: z.number().int().min(0).default(0),
    /** Only tickets without this processed mark. */
    unprocessed: z.string().min(1).regex(/^[^,]+$/, "must be a mark key without commas")
      .optional(),
  }),
  async run(ctx) {
    const { queue, state, since, limit, offset, unprocessed } = ctx.params;
    const query = {
      limit,
      offset,
      ...(queue ? { queue } : {}),
      ...(state ? { state } : {}),
      ...(since ? { since } : {}),
      ...(unprocessed ? { unprocessed } : {}),
    };
    const tickets = await ticketSystem(ctx).search!(query) as unknown[];
    return { tickets, count: tickets.length };
  },
});
