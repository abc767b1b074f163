/** Benchmark step "classify" on a batch of tickets (the workload in ../_workload.ts). */
// deno-lint-ignore-file no-explicit-any
import { classify } from "../_workload.ts";
import { definePipe, definePlugin } from "../../plugin.ts";

type Ticket = Record<string, any>;

export default definePlugin({
  name: "bench-classify",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ items: Ticket[] }>({
      kind: "pipe",
      name: "Classify",
      description: "Scores keywords per category",
      run(ctx) {
        const items = ctx.params.items;
        for (let i = 0; i < items.length; i++) items[i] = classify(items[i]!);
        return { items };
      },
    }),
  ],
});
