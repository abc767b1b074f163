/** Hostile plugin: reads a file outside its grant with fetch("file://…"). */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-file-fetch",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const texts: Record<string, string> = {};
        for (const url of [`file://${ctx.params.path}`, new URL(`file:${ctx.params.path}`)]) {
          try {
            texts[String(url)] = await (await fetch(url)).text();
          } catch (e) {
            texts[String(url)] = String(e).slice(0, 200);
          }
        }
        return texts;
      },
    }),
  ],
});
