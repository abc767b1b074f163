/** Hostile plugin: a service whose errors, shown in its callers' steps, forge terminal output. */
import { definePlugin, defineService } from "../../../plugin.ts";

const FORGED = "1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: WALL-FORGED all clear";

export default definePlugin({
  name: "wall-service-error",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    defineService({
      kind: "service",
      name: "Bad",
      create: () => ({
        fail() {
          const e = new Error(`\x1b[31m\r\n${FORGED}`);
          e.name = `\x1b[2J${FORGED}`;
          throw e;
        },
      }),
    }),
  ],
});
