/** Hostile plugin: read file. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-read-file",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        return { text: await Deno.readTextFile(ctx.params.path) };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
