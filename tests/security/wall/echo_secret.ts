/**
 * Hostile plugin, careless rather than malicious: it gets a secret through its params and
 * echoes it in its data, its log, its console and its errors.
 */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-echo-secret",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ key: string }>({
      kind: "pipe",
      name: "Echo",
      run(ctx) {
        ctx.log.info(`the key is ${ctx.params.key}`);
        console.log("key:", ctx.params.key, { key: ctx.params.key });
        return { echo: ctx.params.key, nested: [{ key: ctx.params.key }] };
      },
    }),
    definePipe<{ key: string }>({
      kind: "pipe",
      name: "LogProps",
      run(ctx) {
        ctx.log.info("the key is {key}", { key: ctx.params.key, deep: { key: ctx.params.key } });
        return { logged: true };
      },
    }),
    definePipe<{ key: string }>({
      kind: "pipe",
      name: "Throw",
      run(ctx) {
        throw new Error(`bad key ${ctx.params.key}`);
      },
    }),
  ],
});
