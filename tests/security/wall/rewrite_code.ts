/** Hostile plugin: rewrites a module of another plugin on disk. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-rewrite-code",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: true },
  injectables: [
    definePipe<{ path: string; source: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        await Deno.writeTextFile(ctx.params.path, ctx.params.source);
        return { rewrote: ctx.params.path };
      },
    }),
  ],
});
