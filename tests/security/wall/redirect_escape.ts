/** Hostile plugin: fetches its granted host, which redirects to a host it is not granted. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-redirect-escape",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: true },
  injectables: [
    definePipe<{ url: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const res = await fetch(ctx.params.url, { signal: AbortSignal.timeout(3000) });
        return { status: res.status, body: await res.text() };
      },
    }),
  ],
});
