/** Hostile plugin: spawn. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-spawn",
  version: "1.0.0",
  api: "^1.0",
  permissions: { run: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run(_ctx) {
        const out = await new Deno.Command("echo", { args: ["owned"] }).output();
        return { code: out.code };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
