/** Benchmark step "fetch": the next batch of tickets (the workload in ../_workload.ts). */
import { makeTicket } from "../_workload.ts";
import { definePipe, definePlugin } from "../../plugin.ts";

let next = 0;
let phase = 0;

export default definePlugin({
  name: "bench-fetch",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ count: number; totals: number[] }>({
      kind: "pipe",
      name: "Fetch",
      description:
        "Makes the next `count` tickets, up to the phase's total; then an empty batch, and the " +
        "next phase numbers tickets from 0 again",
      run(ctx) {
        const total = ctx.params.totals[Math.min(phase, ctx.params.totals.length - 1)]!;
        const items = new Array(Math.max(0, Math.min(ctx.params.count, total - next)));
        for (let i = 0; i < items.length; i++) items[i] = makeTicket(next++);
        if (!items.length) {
          phase++;
          next = 0;
        }
        return { items, count: items.length };
      },
    }),
  ],
});
