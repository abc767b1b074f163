/** Hostile plugin: fetches a host it is not granted, by its name and by aliases of its address. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-fetch-not-granted",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: true },
  injectables: [
    definePipe<{ port: number }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const p = ctx.params.port;
        const urls = [
          `http://127.0.0.1:${p}/fetch?leak=direct`,
          `http://localhost:${p}/fetch?leak=localhost`,
          `http://2130706433:${p}/fetch?leak=decimal`,
          `http://0x7f.1:${p}/fetch?leak=hex`,
          `http://127.1:${p}/fetch?leak=short`,
          `http://[::ffff:127.0.0.1]:${p}/fetch?leak=mapped`,
        ];
        const outcomes: Record<string, string> = {};
        for (const url of urls) {
          try {
            const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
            outcomes[url] = `status ${res.status}`;
            await res.body?.cancel();
          } catch (e) {
            outcomes[url] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
