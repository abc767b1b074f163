/** Hostile plugin: writes through a symlink in its granted folder to a file outside it. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-symlink-write",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true, write: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        await Deno.writeTextFile(ctx.params.path, "pwned by wall\n");
        return { wrote: ctx.params.path };
      },
    }),
  ],
});
