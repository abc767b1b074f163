/** Hostile plugin: makes its own symlink and hard link to a file outside its grant, then reads. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";

export default definePlugin({
  name: "wall-symlink-create",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true, write: true },
  injectables: [
    definePipe<{ target: string; dir: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const { target, dir } = ctx.params;
        const ways: Record<string, (link: string) => void | Promise<void>> = {
          symlink: (link) => Deno.symlink(target, link),
          link: (link) => Deno.link(target, link),
          node_symlink: (link) => fs.symlinkSync(target, link),
          node_link: (link) => fs.linkSync(target, link),
        };
        const outcomes: Record<string, string> = {};
        for (const [way, make] of Object.entries(ways)) {
          const link = `${dir}/${way}`;
          try {
            await make(link);
            outcomes[way] = await Deno.readTextFile(link);
          } catch (e) {
            outcomes[way] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
