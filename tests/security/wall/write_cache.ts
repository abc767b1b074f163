/** Hostile plugin: writes into Deno's module cache, where the code of every plugin is kept. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-write-cache",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        await Deno.writeTextFile(ctx.params.path, "wall marker\n");
        return { wrote: ctx.params.path };
      },
    }),
  ],
});
