/** Hostile plugin: ffi. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-ffi",
  version: "1.0.0",
  api: "^1.0",
  permissions: { ffi: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run(_ctx) {
        Deno.dlopen("libc.so.6", { getpid: { parameters: [], result: "i32" } });
        return { loaded: true };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
