/** An innocent plugin that reads an environment variable it is granted. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-env-reader",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: true },
  injectables: [
    definePipe<{ name: string }>({
      kind: "pipe",
      name: "GetEnv",
      run: (ctx) => ({ value: Deno.env.get(ctx.params.name) ?? null }),
    }),
  ],
});
