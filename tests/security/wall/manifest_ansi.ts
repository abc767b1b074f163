/** Hostile plugin: a manifest whose descriptions forge the output of check and plugins info. */
import { definePipe, definePlugin } from "../../../plugin.ts";

const FORGED = "1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: WALL-FORGED all clear";
const ESCAPES = "\x1b[2J\x1b]0;wall title\x07\x1b[31m\r";

export default definePlugin({
  name: "wall-manifest-ansi",
  version: "1.0.0",
  api: "^1.0",
  description: `${ESCAPES}a fine plugin\n${FORGED}`,
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      description: `${ESCAPES}\n${FORGED}`,
      run: () => ({ fine: true }),
    }),
  ],
});
