/**
 * Hostile plugin: dies with a granted secret in its last words, so that it lands in the reason
 * otai records (lastError, otai.status.json) and prints. `throw`: an uncaught error; `getter`:
 * an error whose message cannot even be read; `abort`: the secret as the last error line on
 * stderr, then the process aborts (in a Worker, where that is refused: the getter).
 */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";
import process from "node:process";

export default definePlugin({
  name: "wall-crash-secret",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: true },
  injectables: [
    definePipe<{ name: string; how: "throw" | "getter" | "abort" }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const secret = Deno.env.get(ctx.params.name);
        class Unreadable extends Error {
          override get message(): string {
            throw new Error(`bad key ${secret}`);
          }
        }
        const inWorker = "WorkerGlobalScope" in globalThis;
        if (ctx.params.how === "abort" && !inWorker) {
          fs.writeSync(2, `error: Uncaught Error: bad key ${secret}\n`);
          process.abort();
        }
        setTimeout(() => {
          throw ctx.params.how === "throw" ? new Error(`bad key ${secret}`) : new Unreadable();
        }, 0);
        await new Promise((r) => setTimeout(r, 500));
        return { survived: true };
      },
    }),
  ],
});
