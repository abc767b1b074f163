/**
 * The `UpdateTicket` pipe.
 *
 * @module
 */
import type { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { ApplySupport, type UpdateOutcome, updateTicket } from "./_apply.ts";
import { ticketUpdate } from "./_schemas.ts";
import { ticketSystem } from "./_tickets.ts";

/** Which ticket systems have `apply()`, shared by the ticket pipes of this sandbox. */
export const applySupport: ApplySupport = new ApplySupport();

/** Changes a ticket, adds a note and sets a mark, atomically where the ticket system can. */
export const updateTicketPipe = definePipe<z.output<typeof ticketUpdate>>({
  kind: "pipe",
  name: "UpdateTicket",
  services: { tickets: "TicketSystem" },
  description: "Changes one ticket, adds a note, marks it processed (atomic with apply())",
  params: ticketUpdate,
  async run(ctx): Promise<UpdateOutcome> {
    return await updateTicket(ticketSystem(ctx), ctx.params, {
      support: applySupport,
      step: `${ctx.step.runner}\u0000${ctx.step.id}`,
    });
  },
});
