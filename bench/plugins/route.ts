/** Benchmark step "route" on a batch of tickets (the workload in ../_workload.ts). */
// deno-lint-ignore-file no-explicit-any
import { route } from "../_workload.ts";
import { definePipe, definePlugin } from "../../plugin.ts";

type Ticket = Record<string, any>;

export default definePlugin({
  name: "bench-route",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ items: Ticket[] }>({
      kind: "pipe",
      name: "Route",
      description: "Picks a queue and an SLA",
      run(ctx) {
        const items = ctx.params.items;
        for (let i = 0; i < items.length; i++) items[i] = route(items[i]!);
        return { items };
      },
    }),
  ],
});
