/** Hostile plugin: a service whose methods never answer: one awaits forever, one spins. */
import { definePlugin, defineService } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-hang-service",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    defineService({
      kind: "service",
      name: "Hang",
      create: () => ({
        wait: () => new Promise(() => {}),
        spin() {
          while (true) { /* never returns, never yields */ }
        },
      }),
    }),
  ],
});
