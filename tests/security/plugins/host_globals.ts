/** Hostile plugin: host globals. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-host-globals",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run(_ctx) {
        const g = globalThis as Record<string, unknown>;
        return {
          canary: g.__otaiHostCanary ?? null,
          registry: typeof g.otai,
          deno_internal:
            typeof (Deno as unknown as Record<symbol, unknown>)[Symbol.for("Deno.internal")],
        };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
