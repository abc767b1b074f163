/** Hostile plugin: opens a WebSocket to a host it is not granted. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-websocket-not-granted",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: true },
  injectables: [
    definePipe<{ url: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const ws = new WebSocket(ctx.params.url);
        const outcome = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve("no answer"), 2000);
          const end = (what: string) => {
            clearTimeout(timer);
            resolve(what);
          };
          ws.onopen = () => end("open");
          ws.onerror = (e) => end(`error: ${(e as ErrorEvent).message ?? "?"}`);
          ws.onclose = () => end("closed");
        });
        try {
          ws.close();
        } catch { /* never opened */ }
        return { outcome };
      },
    }),
  ],
});
