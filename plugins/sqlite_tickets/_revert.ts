/**
 * The `Revert` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { defined, ticketStore } from "./_tickets.ts";
import type { RevertResult } from "./_types.ts";

const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'must be an ISO 8601 time like "2024-05-01T12:00:00Z"',
});

const params = z.object({ run: z.string().min(1).optional(), since: time.optional() })
  .refine((p) => p.run !== undefined || p.since !== undefined, {
    message: "give run (a run id from History) or since (an ISO 8601 time)",
  });

/** Undoes a run's changes, or the changes since a time. */
export const revertPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Revert",
  services: { tickets: "sqlite-tickets:Tickets" },
  description: "Undoes the changes of a run, or since a time, in the injected tickets store",
  params,
  async run(ctx): Promise<RevertResult> {
    return await ticketStore(ctx).revert(defined(ctx.params));
  },
});
