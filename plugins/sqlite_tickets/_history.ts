/**
 * The `History` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { MAX_LIMIT } from "./_checks.ts";
import { defined, ticketStore } from "./_tickets.ts";
import type { HistoryRow } from "./_types.ts";

const params = z.object({
  ticket: z.string().min(1).optional(),
  run: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
});

/** Lists recorded changes. */
export const historyPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "History",
  services: { tickets: "sqlite-tickets:Tickets" },
  description: "Lists recorded changes (newest first) of the injected tickets store",
  params,
  async run(ctx): Promise<{ rows: HistoryRow[] }> {
    return { rows: await ticketStore(ctx).history(defined(ctx.params)) };
  },
});
