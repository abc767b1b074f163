/** An innocent plugin that reads a file it is granted, by a path relative to the config. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-reader",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "ReadText",
      run: async (ctx) => ({ text: await Deno.readTextFile(ctx.params.path) }),
    }),
  ],
});
