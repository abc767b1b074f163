/** Hostile plugin: closes file descriptors 0, 1 and 2 (in a Worker: the host's own). */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";

export default definePlugin({
  name: "wall-close-stdio",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run() {
        const outcomes: Record<string, string> = {};
        const ways: Record<string, () => void> = {
          stdin: () => Deno.stdin.close(),
          stdout: () => Deno.stdout.close(),
          fd0: () => fs.closeSync(0),
          fd1: () => fs.closeSync(1),
          fd2: () => fs.closeSync(2),
        };
        for (const [way, close] of Object.entries(ways)) {
          try {
            close();
            outcomes[way] = "closed";
          } catch (e) {
            outcomes[way] = String(e).slice(0, 120);
          }
        }
        return outcomes;
      },
    }),
    definePipe({ kind: "pipe", name: "Ping", run: () => ({ pong: true }) }),
  ],
});
