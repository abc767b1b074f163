/**
 * The `Import` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import type { ImportResult } from "./_import_text.ts";
import { ticketStore } from "./_tickets.ts";

const params = z.object({
  path: z.string().min(1),
  format: z.enum(["csv", "jsonl"]).optional(),
  only_new: z.boolean().optional(),
});

/**
 * Imports a CSV or JSONL file into the injected store. Its result is the {@linkcode ImportResult}:
 * a file with skipped or repeated rows still imports the others, and `warnings` lists them, one
 * self-contained line each (so a step whose result has warnings succeeded with warnings).
 */
export const importPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Import",
  services: { tickets: "sqlite-tickets:Tickets" },
  description: "Imports tickets from a CSV or JSONL file into the injected tickets store",
  params,
  async run(ctx): Promise<ImportResult> {
    const { path, format, only_new } = ctx.params;
    return await ticketStore(ctx).importFile(path, {
      ...(format === undefined ? {} : { format }),
      ...(only_new === undefined ? {} : { only_new }),
    });
  },
});
