/** Hostile plugin: changes an environment variable that another plugin reads. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import process from "node:process";

export default definePlugin({
  name: "wall-env-set",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: true },
  injectables: [
    definePipe<{ name: string; value: string }>({
      kind: "pipe",
      name: "Attack",
      run(ctx) {
        const { name, value } = ctx.params;
        const outcomes: Record<string, string> = {};
        const ways: Record<string, () => void> = {
          deno: () => Deno.env.set(name, value),
          node: () => {
            process.env[name] = value;
          },
          assign: () => void Object.assign(process.env, { [name]: value }),
        };
        for (const [way, set] of Object.entries(ways)) {
          try {
            set();
            outcomes[way] = "set";
          } catch (e) {
            outcomes[way] = String(e).slice(0, 200);
          }
        }
        return outcomes;
      },
    }),
  ],
});
