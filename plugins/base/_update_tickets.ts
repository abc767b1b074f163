/**
 * The `UpdateTickets` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { updateTicket } from "./_apply.ts";
import { ticketUpdate } from "./_schemas.ts";
import { ticketSystem } from "./_tickets.ts";
import { applySupport } from "./_update_ticket.ts";

/** What `UpdateTickets` returns. */
export interface UpdateTicketsResult {
  /** Tickets updated. */
  applied: number;
  /** Tickets left alone because they already had the mark. */
  unchanged: number;
  /** Tickets whose update failed. */
  failed: number;
  /** The first 100 failures, in input order. */
  failures: { id: string; error: string }[];
}

/** How many tickets are updated at once. */
const CONCURRENCY = 4;
/** How many failures are listed; `failed` counts them all. */
const MAX_FAILURES = 100;

const params = z.object({
  updates: z.array(ticketUpdate, {
    error: 'give updates as a list like [{ id: "7", changes: { queue: "IT" } }]',
  }),
});

/** Updates many tickets; one ticket's failure does not stop the others. */
export const updateTicketsPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "UpdateTickets",
  services: { tickets: "TicketSystem" },
  description: "Updates a list of tickets like UpdateTicket; failures are counted, not fatal",
  params,
  async run(ctx): Promise<UpdateTicketsResult> {
    const tickets = ticketSystem(ctx);
    const { updates } = ctx.params;
    const step = `${ctx.step.runner}\u0000${ctx.step.id}`;
    const result: UpdateTicketsResult = { applied: 0, unchanged: 0, failed: 0, failures: [] };
    const failures: { index: number; id: string; error: string }[] = [];
    async function one(index: number): Promise<void> {
      const update = updates[index]!;
      try {
        const outcome = await updateTicket(tickets, update, { support: applySupport, step });
        if (outcome.applied) result.applied++;
        else result.unchanged++;
      } catch (e) {
        result.failed++;
        failures.push({ index, id: update.id, error: e instanceof Error ? e.message : `${e}` });
      }
    }
    let next = 0;
    async function work(): Promise<void> {
      while (next < updates.length && !ctx.signal.aborted) await one(next++);
    }
    // The first ticket alone, so that the ticket system is asked for apply() once.
    if (updates.length > 0 && !ctx.signal.aborted) await one(next++);
    await Promise.all(Array.from({ length: CONCURRENCY }, work));
    const done = result.applied + result.unchanged + result.failed;
    if (done < updates.length) {
      throw new Error(
        `Cannot finish updating tickets: stopped after ${done} of ${updates.length} ` +
          `(${reasonOf(ctx.signal)}); the rest were not touched`,
      );
    }
    failures.sort((a, b) => a.index - b.index);
    result.failures = failures.slice(0, MAX_FAILURES).map(({ id, error }) => ({ id, error }));
    return result;
  },
});

function reasonOf(signal: AbortSignal): string {
  const r = signal.reason;
  return r instanceof Error ? r.message : String(r ?? "aborted");
}
