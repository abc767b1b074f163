/**
 * The `Filter` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { compileWhere } from "./_where.ts";

/** What `Filter` returns. */
export interface FilterResult {
  /** The items the condition kept, in order. */
  items: unknown[];
  /** How many were kept. */
  count: number;
  /** How many were dropped. */
  dropped: number;
}

const WHERE = 'give where a CEL condition, e.g. where: item.queue == "Inbox"';

const params = z.object({
  items: z.array(z.unknown(), {
    error: 'give items as a list, e.g. items: "${{ steps.fetch.data.tickets }}"',
  }),
  where: z.string({ error: WHERE }).min(1, { error: WHERE }).superRefine((source, check) => {
    // Compiling here lets `otai check` point at a bad expression's line; the result is cached.
    try {
      compileWhere(source.trim());
    } catch (e) {
      check.addIssue({ code: "custom", message: e instanceof Error ? e.message : String(e) });
    }
  }),
});

/** Keeps the items for which a CEL condition over `item` and `index` is true. */
export const filterPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Filter",
  services: {},
  description: "Keeps the items for which a CEL condition over item and index is true",
  params,
  run(ctx): FilterResult {
    const where = compileWhere(ctx.params.where.trim());
    const items = ctx.params.items.filter((item, index) => where(item, index));
    return { items, count: items.length, dropped: ctx.params.items.length - items.length };
  },
});
