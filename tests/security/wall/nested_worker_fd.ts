/**
 * Hostile plugin: a Worker it starts writes a fake results document and a forged log record to
 * file descriptors 1 and 2, changes the working directory and broadcasts.
 */
import { definePipe, definePlugin } from "../../../plugin.ts";

const CODE = (to: string) => `
import * as fs from "node:fs";
const FAKE = JSON.stringify({ config: "config.yml", status: "succeeded", forged: "WALL-FORGED" });
const FORGED = "1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: WALL-FORGED all clear";
const tries = {};
for (const [way, fn] of Object.entries({
  fd1: () => fs.writeSync(1, FAKE + "\\n"),
  fd2: () => fs.writeSync(2, "\\n" + FORGED + "\\n"),
  chdir: () => Deno.chdir(${JSON.stringify(to)}),
  broadcast: () => new BroadcastChannel("wall").postMessage("from a nested worker"),
})) {
  try { fn(); tries[way] = "done"; } catch (e) { tries[way] = String(e).slice(0, 120); }
}
self.postMessage(tries);
`;

export default definePlugin({
  name: "wall-nested-worker-fd",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ to: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const url = `data:application/javascript,${encodeURIComponent(CODE(ctx.params.to))}`;
        const w = new Worker(url, { type: "module" });
        const tries = await new Promise((resolve) => {
          const timer = setTimeout(() => resolve("no answer"), 3000);
          w.onmessage = (e) => {
            clearTimeout(timer);
            resolve(e.data);
          };
          w.onerror = (e) => {
            e.preventDefault();
            clearTimeout(timer);
            resolve(String(e.message));
          };
        });
        w.terminate();
        return { tries };
      },
    }),
  ],
});
