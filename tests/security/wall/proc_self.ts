/** Hostile plugin: reads through /proc: its environment, its cwd and root links, its parent's. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-proc-self",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ rel: string; abs: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const paths = [
          "/proc/self/environ",
          `/proc/self/cwd/${ctx.params.rel}`,
          `/proc/self/root${ctx.params.abs}`,
          `/proc/thread-self/environ`,
          `/proc/${Deno.pid}/environ`,
        ];
        const texts: Record<string, string> = {};
        for (const path of paths) {
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
