/** Benchmark step "fetch": the shared ticket workload (../shared/peers), as a plugin. */
import { makeTicket } from "../../../shared/peers/common.mjs";
import { definePipe, definePlugin } from "../../plugin.ts";

let next = 0;

export default definePlugin({
  name: "bench-fetch",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ count: number; total?: number }>({
      kind: "pipe",
      name: "Fetch",
      description: "Makes the next `count` tickets (the workload's fetch)",
      run(ctx) {
        const left = ctx.params.total === undefined ? Infinity : ctx.params.total - next;
        const items = new Array(Math.max(0, Math.min(ctx.params.count, left)));
        for (let i = 0; i < items.length; i++) items[i] = makeTicket(next++);
        return { items, count: items.length };
      },
    }),
  ],
});
