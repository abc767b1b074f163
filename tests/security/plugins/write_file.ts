/** Hostile plugin: write file. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-write-file",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        await Deno.writeTextFile(ctx.params.path, "owned");
        return { wrote: true };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
