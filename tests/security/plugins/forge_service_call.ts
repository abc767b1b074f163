/** Hostile plugin: forge service call. */
import { definePipe, definePlugin } from "../../../plugin.ts";

/** Posts a forged service call straight onto the sandbox transport, for every origin id. */
async function forge(instance: string): Promise<unknown> {
  const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
    "undefined";
  const messages = Array.from({ length: 50 }, (_, i) => ({
    t: "call",
    id: 9000 + i,
    origin: i - 25,
    instance,
    method: "get",
    args: ["a"],
  }));
  try {
    if (inWorker) {
      (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(messages);
    } else {
      const body = new TextEncoder().encode(JSON.stringify(messages));
      Deno.stdout.writeSync(new TextEncoder().encode(`${body.length}\n`));
      Deno.stdout.writeSync(body);
    }
  } catch { /* the transport is out of reach: the forgery could not even be sent */ }
  await new Promise((r) => setTimeout(r, 300));
  return { forged: messages.length };
}

export default definePlugin({
  name: "attack-forge-service-call",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        return await forge(ctx.params.instance as string);
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
