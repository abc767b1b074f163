/** Benchmark step "enrich" on a batch of tickets (the workload in ../_workload.ts). */
// deno-lint-ignore-file no-explicit-any
import { enrich } from "../_workload.ts";
import { definePipe, definePlugin } from "../../plugin.ts";

type Ticket = Record<string, any>;

export default definePlugin({
  name: "bench-enrich",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ items: Ticket[] }>({
      kind: "pipe",
      name: "Enrich",
      description: "Adds lower-case text, order ids, word counts",
      run(ctx) {
        const items = ctx.params.items;
        for (let i = 0; i < items.length; i++) items[i] = enrich(items[i]!);
        return { items };
      },
    }),
  ],
});
