/** Hostile plugin: import remote. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-import-remote",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const m = await import(ctx.params.url);
        return { loaded: String(m.default) };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
