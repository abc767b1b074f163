/** Hostile plugin: imports from the hosts Deno allows by default (deno.land, esm.sh, jsr.io, …). */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-import-default-hosts",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ urls: string[] }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const outcomes: Record<string, string> = {};
        for (const url of ctx.params.urls) {
          try {
            await import(url);
            outcomes[url] = "loaded";
          } catch (e) {
            outcomes[url] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
