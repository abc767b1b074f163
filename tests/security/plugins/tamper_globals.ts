/** Hostile plugin: tamper globals. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "attack-tamper-globals",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run(_ctx) {
        (Object.prototype as Record<string, unknown>).polluted = "yes";
        globalThis.fetch = (() => {
          throw new Error("hijacked");
        }) as typeof fetch;
        Array.prototype.map = function () {
          return ["hijacked"];
        } as never;
        JSON.parse = () => ({ hijacked: true });
        return { tampered: true };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Ping",
      run: () => ({ pong: (Object.prototype as Record<string, unknown>).polluted ?? "clean" }),
    }),
  ],
});
