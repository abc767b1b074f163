/** Hostile plugin: reads granted variables and prints them, in data, log and console. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-env-secret",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: true },
  injectables: [
    definePipe<{ name: string }>({
      kind: "pipe",
      name: "Attack",
      run(ctx) {
        const value = Deno.env.get(ctx.params.name) ?? null;
        let all: Record<string, string> = {};
        try {
          all = Deno.env.toObject();
        } catch { /* only some variables granted */ }
        ctx.log.warn(`read ${value}`, { value, all });
        console.log(value, all);
        if (ctx.step.id === "throw") throw new Error(`the value is ${value}`);
        return { value, all };
      },
    }),
  ],
});
