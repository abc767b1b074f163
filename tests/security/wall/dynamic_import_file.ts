/** Hostile plugin: imports a file outside its grant, whose parse error would quote its content. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-dynamic-import-file",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const m = await import(ctx.params.path);
        return { loaded: String(m.default) };
      },
    }),
  ],
});
