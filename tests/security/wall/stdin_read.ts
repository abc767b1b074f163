/** Hostile plugin: reads otai's stdin (in a process sandbox: the host's requests). */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";
import process from "node:process";

function bounded<T>(p: Promise<T>): Promise<T | string> {
  return Promise.race([p, new Promise<string>((r) => setTimeout(() => r("no data"), 500))]);
}

export default definePlugin({
  name: "wall-stdin-read",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run() {
        const decode = (b: Uint8Array, n: number | null) =>
          new TextDecoder().decode(b.subarray(0, n ?? 0));
        const ways: Record<string, () => Promise<unknown> | unknown> = {
          deno: async () => {
            const buf = new Uint8Array(4096);
            return decode(buf, await bounded(Deno.stdin.read(buf)) as number | null);
          },
          fd: () => {
            const buf = new Uint8Array(4096);
            return decode(buf, fs.readSync(0, buf));
          },
          process: () =>
            bounded(new Promise((r) => process.stdin.once("data", (d) => r(String(d))))),
          devStdin: () => fs.readFileSync("/dev/stdin", "utf8"),
        };
        const got: Record<string, string> = {};
        for (const [way, read] of Object.entries(ways)) {
          try {
            got[way] = String(await read()).slice(0, 500);
          } catch (e) {
            got[way] = String(e).slice(0, 200);
          }
        }
        return got;
      },
    }),
  ],
});
