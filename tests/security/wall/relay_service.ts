/** An innocent plugin whose service passes each call on to a service injected into it. */
import { definePlugin, defineService } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-relay",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    defineService({
      kind: "service",
      name: "Relay",
      create: (_params, ctx) => ({
        relay: (method: string) => ctx.services.inner![method]!(),
      }),
    }),
  ],
});
