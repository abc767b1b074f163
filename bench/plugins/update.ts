/** Benchmark step "update" on a batch: the workload's update, each ticket added to the sink. */
import { Sink, type Ticket, update } from "../_workload.ts";
import { definePipe, definePlugin } from "../../plugin.ts";

let sink = new Sink();

export default definePlugin({
  name: "bench-update",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ items: Ticket[] }>({
      kind: "pipe",
      name: "Update",
      description: "Marks each ticket routed, with an audit entry, and adds it to the sink",
      run(ctx) {
        const items = ctx.params.items;
        for (let i = 0; i < items.length; i++) sink.add(update(items[i]!));
        return { count: items.length };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Summary",
      description: "The sink's checksum so far; starts a new sink",
      run() {
        const summary = sink.summary();
        sink = new Sink();
        return { summary };
      },
    }),
  ],
});
