/**
 * Hostile plugin: a pipe that is injected nothing calls a service anyway, by forging call
 * messages onto the sandbox transport with guessed ids (postMessage in any form in a Worker,
 * frames written to file descriptor 1 in a process).
 */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as fs from "node:fs";

function forgeries(instances: string[]): unknown[] {
  return instances.flatMap((instance, k) =>
    Array.from({ length: 101 }, (_, i) => ({
      t: "call",
      id: 70_000 + k * 1000 + i,
      origin: i - 50,
      instance,
      method: "set",
      args: ["forged", 1],
    }))
  );
}

/** Every postMessage the global scope still holds, itself or up its prototype chain. */
function posters(): ((m: unknown) => void)[] {
  const out: ((m: unknown) => void)[] = [];
  for (let o: object | null = globalThis; o; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, "postMessage");
    if (typeof d?.value === "function") out.push((m) => d.value.call(globalThis, m));
  }
  return out;
}

export default definePlugin({
  name: "wall-forge-call",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ instances: string[] }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const batch = forgeries(ctx.params.instances);
        const outcomes: string[] = [];
        for (const post of posters()) {
          try {
            post(batch);
            outcomes.push("posted");
          } catch (e) {
            outcomes.push(String(e).slice(0, 120));
          }
        }
        try {
          const body = new TextEncoder().encode(JSON.stringify(batch));
          fs.writeSync(1, new TextEncoder().encode(`${body.length}\n`));
          fs.writeSync(1, body);
          outcomes.push("framed");
        } catch (e) {
          outcomes.push(String(e).slice(0, 120));
        }
        await new Promise((r) => setTimeout(r, 300));
        return { outcomes };
      },
    }),
  ],
});
