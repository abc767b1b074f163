/** Hostile plugin: changes the working directory, which a Worker shares with the host. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import process from "node:process";

export default definePlugin({
  name: "wall-chdir",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ to: string }>({
      kind: "pipe",
      name: "Attack",
      run(ctx) {
        const outcomes: Record<string, string> = {};
        for (
          const [way, go] of Object.entries({
            deno: () => Deno.chdir(ctx.params.to),
            node: () => process.chdir(ctx.params.to),
          })
        ) {
          try {
            go();
            outcomes[way] = "moved";
          } catch (e) {
            outcomes[way] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
