/** Hostile plugin: reads through symlinks in its granted folder that lead outside it. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-symlink-read",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ paths: string[] }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const texts: Record<string, string> = {};
        for (const path of ctx.params.paths) {
          try {
            texts[path] = await Deno.readTextFile(path);
          } catch (e) {
            texts[path] = String(e).slice(0, 200);
          }
        }
        return texts;
      },
    }),
  ],
});
