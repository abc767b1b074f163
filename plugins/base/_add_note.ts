/**
 * The `AddNote` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { ticketId } from "./_schemas.ts";
import { defined, ticketSystem } from "./_tickets.ts";

const params = z.object({
  id: ticketId,
  body: z.string({ error: "give the note's text as body" }).min(1, {
    error: "give the note a non-empty body",
  }),
  subject: z.string().optional(),
});

/** Adds a note to one ticket of the injected ticket system. */
export const addNotePipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "AddNote",
  services: { tickets: "TicketSystem" },
  description: "Adds a note to a ticket of the injected ticket system",
  params,
  async run(ctx): Promise<{ id: string }> {
    const { id, body, subject } = ctx.params;
    await ticketSystem(ctx).addNote!(id, defined({ body, subject }));
    return { id };
  },
});
