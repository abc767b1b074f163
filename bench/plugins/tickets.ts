/**
 * The workload as one plugin with one pipe per step, for per-item pipelines: `Fetch` makes
 * ticket `i`, each transform takes `ticket` and returns it, `Update` also adds it to the sink,
 * and `Summary` returns the sink's checksum (and starts a new one).
 */
import * as w from "../_workload.ts";
import { definePipe, definePlugin, type PipeDefinition } from "../../plugin.ts";

let sink = new w.Sink();
let ranges = 0;

function transform(
  name: string,
  fn: (t: w.Ticket) => w.Ticket,
): PipeDefinition<{ ticket: w.Ticket }> {
  return definePipe<{ ticket: w.Ticket }>({
    kind: "pipe",
    name,
    description: `The workload's ${name.toLowerCase()} step on one ticket`,
    run: (ctx) => ({ ticket: fn(ctx.params.ticket) }),
  });
}

export default definePlugin({
  name: "bench-tickets",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe<{ counts: number[] }>({
      kind: "pipe",
      name: "Range",
      description: "The numbers 0 to count - 1, one per ticket; each run the next of `counts`",
      run(ctx) {
        const count = ctx.params.counts[Math.min(ranges++, ctx.params.counts.length - 1)]!;
        return { items: Array.from({ length: count }, (_, i) => i) };
      },
    }),
    definePipe<{ i: number }>({
      kind: "pipe",
      name: "Noop",
      description: "Does nothing (the engine's own cost per step)",
      run: () => ({}),
    }),
    definePipe<{ i: number }>({
      kind: "pipe",
      name: "Fetch",
      description: "Makes ticket number i",
      run: (ctx) => ({ ticket: w.makeTicket(ctx.params.i) }),
    }),
    transform("Normalize", w.normalize),
    transform("Enrich", w.enrich),
    transform("Classify", w.classify),
    transform("Route", w.route),
    definePipe<{ ticket: w.Ticket }>({
      kind: "pipe",
      name: "Update",
      description: "The workload's update step; adds the ticket to the sink",
      run(ctx) {
        const ticket = w.update(ctx.params.ticket);
        sink.add(ticket);
        return { ticket };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Summary",
      description: "The sink's checksum so far; starts a new sink",
      run() {
        const summary = sink.summary();
        sink = new w.Sink();
        return { summary };
      },
    }),
  ],
});
