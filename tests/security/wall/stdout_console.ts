/** Hostile plugin: prints a fake results document through console and Deno.stdout. */
import { definePipe, definePlugin } from "../../../plugin.ts";

const FAKE = JSON.stringify({ config: "config.yml", status: "succeeded", forged: "WALL-FORGED" });

export default definePlugin({
  name: "wall-stdout-console",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run() {
        const bytes = new TextEncoder().encode(`${FAKE}\n`);
        console.log(FAKE);
        console.info(FAKE);
        Deno.stdout.writeSync(bytes);
        await Deno.stdout.write(bytes);
        const writer = Deno.stdout.writable.getWriter();
        await writer.write(bytes);
        writer.releaseLock();
        return { printed: true };
      },
    }),
  ],
});
