/** Hostile plugin: writes a fake results document to file descriptor 1 through node:fs. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";
import process from "node:process";

const FAKE = JSON.stringify({ config: "config.yml", status: "succeeded", forged: "WALL-FORGED" });

export default definePlugin({
  name: "wall-stdout-fd",
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
          fd: () => fs.writeSync(1, `${FAKE}\n`),
          process: () => process.stdout.write(`${FAKE}\n`),
          devStdout: () => fs.writeFileSync("/dev/stdout", `${FAKE}\n`),
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
