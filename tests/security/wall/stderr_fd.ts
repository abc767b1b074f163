/** Hostile plugin: writes a forged otai log record straight to file descriptor 2. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";
import process from "node:process";

const FORGED = "1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: WALL-FORGED all clear";

export default definePlugin({
  name: "wall-stderr-fd",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run() {
        const outcomes: Record<string, string> = {};
        const ways: Record<string, () => unknown> = {
          fd: () => fs.writeSync(2, `\n${FORGED}\n`),
          process: () => process.stderr.write(`\n${FORGED}\n`),
          deno: () => Deno.stderr.writeSync(new TextEncoder().encode(`\n${FORGED}\n`)),
        };
        for (const [way, write] of Object.entries(ways)) {
          try {
            write();
            outcomes[way] = "written";
          } catch (e) {
            outcomes[way] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
