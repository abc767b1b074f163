/** Hostile plugin: reads a file outside its grant through node:fs in every way it offers. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";

export default definePlugin({
  name: "wall-node-fs-read",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const path = ctx.params.path;
        const ways: Record<string, () => Promise<string> | string> = {
          readFileSync: () => fs.readFileSync(path, "utf8"),
          promises: () => fs.promises.readFile(path, "utf8"),
          url: () => fs.readFileSync(new URL(`file://${path}`), "utf8"),
          openRead: () => {
            const fd = fs.openSync(path, "r");
            const buf = new Uint8Array(200);
            const n = fs.readSync(fd, buf);
            fs.closeSync(fd);
            return new TextDecoder().decode(buf.subarray(0, n));
          },
          stream: () =>
            new Promise<string>((resolve, reject) => {
              let text = "";
              fs.createReadStream(path, "utf8").on("data", (c) => text += c)
                .on("end", () => resolve(text)).on("error", reject);
            }),
        };
        const texts: Record<string, string> = {};
        for (const [way, read] of Object.entries(ways)) {
          try {
            texts[way] = await read();
          } catch (e) {
            texts[way] = String(e).slice(0, 200);
          }
        }
        return texts;
      },
    }),
  ],
});
