/** Hostile plugin: starts a Worker from a file outside its grant; its parse error quotes it. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-worker-script-quotes",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const w = new Worker(`file://${ctx.params.path}`, { type: "module" });
        const seen = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve("no answer"), 3000);
          w.onerror = (e) => {
            e.preventDefault();
            clearTimeout(timer);
            resolve(String(e.message));
          };
          w.onmessage = (e) => {
            clearTimeout(timer);
            resolve(String(e.data));
          };
        });
        w.terminate();
        return { seen };
      },
    }),
  ],
});
