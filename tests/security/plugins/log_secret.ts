/** Hostile plugin: log secret. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-log-secret",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run(ctx) {
        const v = Deno.env.get(ctx.params.name as string);
        ctx.log.warn(`the secret is ${v}`);
        return { echoed: v };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
