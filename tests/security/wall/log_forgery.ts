/**
 * Hostile plugin: forges otai log records and terminal output through its logger and console:
 * newlines followed by a fake record, in messages and in properties; escape sequences.
 */
import { definePipe, definePlugin } from "../../../plugin.ts";

const FORGED = "1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: WALL-FORGED all clear";
const ESCAPES = "\x1b[2J\x1b[H\x1b]0;wall title\x07\x1b[31mred\x1b[0m\u009b2J\rWALL overwritten";

export default definePlugin({
  name: "wall-log-forgery",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Newline",
      run(ctx) {
        ctx.log.info(`fine\n${FORGED}`);
        ctx.log.warn(`fine\r\n${FORGED}`);
        ctx.log.error(`fine\r${FORGED}`);
        return { logged: 3 };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Props",
      run(ctx) {
        ctx.log.info("value {v}", { v: `\n${FORGED}` });
        ctx.log.warn(`{k}`, { k: { nested: `x\n${FORGED}` } });
        ctx.log.info(`{${"\n" + FORGED}}`, { [`\n${FORGED}`]: "key" });
        return { logged: 3 };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ansi",
      run(ctx) {
        ctx.log.warn(ESCAPES);
        ctx.log.info("{e}", { e: ESCAPES });
        console.log(ESCAPES);
        console.error(`\n${FORGED}`);
        return { logged: 4 };
      },
    }),
  ],
});
