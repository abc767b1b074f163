/**
 * The `AddNote` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { ticketSystem } from "./_tickets.ts";

/** Adds an internal note to a ticket. */
export const addNotePipe = definePipe({
  kind: "pipe",
  name: "AddNote",
  services: { tickets: "otobo-znuny:Client" },
  description: "Adds an internal note (not visible to the customer) to a ticket",
  params: z.strictObject({
    id: z.union([z.string().min(1), z.number().int().positive()]).transform(String),
    body: z.string().min(1),
    subject: z.string().min(1).optional(),
  }),
  async run(ctx) {
    const { id, body, subject } = ctx.params;
    await ticketSystem(ctx).addNote!(id, { body, ...(subject ? { subject } : {}) });
    return { id, added: true };
  },
});
