/** Benchmark step "update": the shared ticket workload (../shared/peers), as a plugin. */
// deno-lint-ignore-file no-explicit-any
import { update } from "../../../shared/peers/common.mjs";
import { definePipe, definePlugin } from "../../plugin.ts";

type Ticket = Record<string, any>;

export default definePlugin({
  name: "bench-update",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ items: Ticket[] }>({
      kind: "pipe",
      name: "Update",
      description: "Marks each ticket routed, with an audit entry",
      run(ctx) {
        const items = ctx.params.items;
        for (let i = 0; i < items.length; i++) items[i] = update(items[i]);
        return { items };
      },
    }),
  ],
});
