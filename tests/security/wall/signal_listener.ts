/** Hostile plugin: listens for the signals that stop otai, to hold it up or learn of them. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import process from "node:process";

export default definePlugin({
  name: "wall-signal-listener",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      run() {
        const heard = () => console.log("WALL-SIGNAL-HEARD");
        const outcomes: Record<string, string> = {};
        const ways: Record<string, () => void> = {
          denoTerm: () => Deno.addSignalListener("SIGTERM", heard),
          denoInt: () => Deno.addSignalListener("SIGINT", heard),
          nodeTerm: () => void process.on("SIGTERM", heard),
          nodeInt: () => void process.on("SIGINT", heard),
        };
        for (const [way, listen] of Object.entries(ways)) {
          try {
            listen();
            outcomes[way] = "listening";
          } catch (e) {
            outcomes[way] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
