/** Hostile plugin: imports a JSON file outside its grant as a JSON module. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-dynamic-import-json",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const m = await import(ctx.params.path, { with: { type: "json" } });
        return { creds: m.default };
      },
    }),
  ],
});
