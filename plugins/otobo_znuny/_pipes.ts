/**
 * The plugin's pipes. Each one works on the ticket system injected as `tickets`: an
 * `otobo-znuny:Client` service, or any other service with the same methods.
 *
 * @module
 */
import { z } from "zod";
import { definePipe, type PipeContext, type ServiceProxy } from "../../plugin.ts";

function ticketsOf(ctx: PipeContext<unknown>): ServiceProxy {
  const tickets = ctx.services.tickets;
  if (!tickets) {
    throw new Error(
      `Cannot run step "${ctx.step.id}": no ticket system is injected as "tickets"; add ` +
        `injects: { tickets: <id of an otobo-znuny:Client service> } to the step`,
    );
  }
  return tickets;
}

/** Checks that OTOBO answers and accepts the login. */
export const ping = definePipe({
  kind: "pipe",
  name: "Ping",
  description: "Checks that OTOBO/Znuny answers and accepts the login: { ok, user, session }",
  params: z.strictObject({
    /** False: report a failure as `{ ok: false, error }` instead of failing the step. */
    fail: z.boolean().default(true),
  }),
  async run(ctx) {
    try {
      const result = await ticketsOf(ctx).ping!() as { user: string; session: boolean };
      return { ok: true, user: result.user, session: result.session };
    } catch (e) {
      if (ctx.params.fail) throw e;
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  },
});

/** Searches tickets. */
export const search = definePipe({
  kind: "pipe",
  name: "Search",
  description: "Searches tickets by queue, state and change time: { tickets, count }",
  params: z.strictObject({
    queue: z.string().min(1).optional(),
    state: z.string().min(1).optional(),
    since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
      error: "must be an ISO 8601 time, e.g. 2025-03-01T00:00:00Z",
    }).optional(),
    limit: z.number().int().min(1).max(1000).default(50),
    offset: z.number().int().min(0).default(0),
  }),
  async run(ctx) {
    const { queue, state, since, limit, offset } = ctx.params;
    const query = {
      limit,
      offset,
      ...(queue ? { queue } : {}),
      ...(state ? { state } : {}),
      ...(since ? { since } : {}),
    };
    const tickets = await ticketsOf(ctx).search!(query) as unknown[];
    return { tickets, count: tickets.length };
  },
});

/** Adds an internal note to a ticket. */
export const addNote = definePipe({
  kind: "pipe",
  name: "AddNote",
  description: "Adds an internal note (not visible to the customer) to a ticket",
  params: z.strictObject({
    id: z.union([z.string().min(1), z.number().int().positive()]).transform(String),
    body: z.string().min(1),
    subject: z.string().min(1).optional(),
  }),
  async run(ctx) {
    const { id, body, subject } = ctx.params;
    await ticketsOf(ctx).addNote!(id, { body, ...(subject ? { subject } : {}) });
    return { id, added: true };
  },
});
