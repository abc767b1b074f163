/** Hostile plugin: permission request. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-permission-request",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(_ctx) {
        const s = await Deno.permissions.request({ name: "read" });
        const e = await Deno.permissions.request({ name: "env" });
        return { read: s.state, env: e.state };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
