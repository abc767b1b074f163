/** Hostile plugin: net host. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-net-host",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const r = await fetch(ctx.params.url);
        return { status: r.status, body: await r.text() };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
