/** Benchmark step "normalize": the shared ticket workload (../shared/peers), as a plugin. */
// deno-lint-ignore-file no-explicit-any
import { normalize } from "../../../shared/peers/common.mjs";
import { definePipe, definePlugin } from "../../plugin.ts";

type Ticket = Record<string, any>;

export default definePlugin({
  name: "bench-normalize",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ items: Ticket[] }>({
      kind: "pipe",
      name: "Normalize",
      description: "Trims and normalises each ticket",
      run(ctx) {
        const items = ctx.params.items;
        for (let i = 0; i < items.length; i++) items[i] = normalize(items[i]);
        return { items };
      },
    }),
  ],
});
