/** The innocent plugin of the wall suite: it echoes, reports what it sees and calls services. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-bystander",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({ kind: "pipe", name: "Echo", run: (ctx) => ({ ...ctx.params }) }),
    definePipe({ kind: "pipe", name: "Steps", run: (ctx) => ({ steps: ctx.steps }) }),
    definePipe<{ service: string; method: string; args?: unknown[] }>({
      kind: "pipe",
      name: "Call",
      // Naive on purpose: it awaits the service and ignores its signal.
      async run(ctx) {
        const svc = ctx.services[ctx.params.service];
        if (!svc) throw new Error(`no service "${ctx.params.service}" injected`);
        return { value: await svc[ctx.params.method]!(...(ctx.params.args ?? [])) };
      },
    }),
  ],
});
