/** Hostile plugin: nested worker. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-nested-worker",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const src = `try { self.postMessage(Deno.readTextFileSync(${
          JSON.stringify(ctx.params.path)
        })); } catch (e) { self.postMessage("denied: " + e.message); }`;
        const w = new Worker(`data:application/javascript,${encodeURIComponent(src)}`, {
          type: "module",
        });
        const text = await new Promise((r) => (w.onmessage = (e) => r(e.data)));
        w.terminate();
        if (String(text).startsWith("denied")) throw new Error(String(text));
        return { text };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
