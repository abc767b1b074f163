/**
 * Hostile plugin: forges lines of the summary table and the log through what otai prints about
 * its steps: errors, skip reasons, reports and uncaught errors holding newlines and escapes.
 */
import { definePipe, definePlugin } from "../../../plugin.ts";

const FORGED = "1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: WALL-FORGED all clear";
const ESCAPES = "\x1b[2J\x1b[H\x1b[31mred\x1b[0m\u009b2J\x07";

export default definePlugin({
  name: "wall-error-forgery",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Newline",
      run() {
        throw new Error(`boom\n${FORGED}\notai: WALL-FORGED every runner succeeded`);
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ansi",
      run() {
        throw new Error(`${ESCAPES}\r${FORGED}`);
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Skip",
      run(ctx) {
        ctx.skip(`${ESCAPES}\r\n${FORGED}`);
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Report",
      run: () => ({ report: `${ESCAPES}fake report\r\n${FORGED}` }),
    }),
    definePipe({
      kind: "pipe",
      name: "Crash",
      async run() {
        setTimeout(() => {
          throw new Error(`\r\x1b[2K${FORGED}`);
        }, 0);
        await new Promise((r) => setTimeout(r, 300));
        return { crashed: true };
      },
    }),
  ],
});
