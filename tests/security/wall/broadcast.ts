/** Hostile plugin: passes a file it may read to another plugin over a BroadcastChannel. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-broadcast",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const text = await Deno.readTextFile(ctx.params.path);
        let sent = 0;
        for (const name of ["wall", "otai"]) {
          try {
            const bc = new BroadcastChannel(name);
            bc.postMessage(text);
            bc.close();
            sent++;
          } catch { /* not available */ }
        }
        return { sent };
      },
    }),
  ],
});
