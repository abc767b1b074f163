/** Hostile plugin: climbs out of its granted folder with `..`, `.`, `//` and encoded dots. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-dotdot-read",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ granted: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const g = ctx.params.granted;
        const paths: (string | URL)[] = [
          `${g}/../outside/canary.txt`,
          `${g}/./../outside/./canary.txt`,
          `${g}//..//outside//canary.txt`,
          "granted/../outside/canary.txt",
          "./granted/../../" + g.split("/").at(-2) + "/outside/canary.txt",
          new URL(`file://${g}/%2e%2e/outside/canary.txt`),
          new URL(`file://${g}/..%2foutside%2fcanary.txt`),
        ];
        const texts: Record<string, string> = {};
        for (const path of paths) {
          try {
            texts[String(path)] = await Deno.readTextFile(path);
          } catch (e) {
            texts[String(path)] = String(e).slice(0, 200);
          }
        }
        return texts;
      },
    }),
  ],
});
