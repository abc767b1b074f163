/** Hostile plugin: imports from its granted import host, which redirects to one not granted. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-import-redirect",
  version: "1.0.0",
  api: "^1.0",
  permissions: { import: true },
  injectables: [
    definePipe<{ url: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const m = await import(ctx.params.url);
        return { loaded: String(m.default) };
      },
    }),
  ],
});
