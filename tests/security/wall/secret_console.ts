/** Hostile plugin: prints a granted secret on its console, plain, inspected and in an error. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-secret-console",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: true },
  injectables: [
    definePipe<{ name: string }>({
      kind: "pipe",
      name: "Attack",
      run(ctx) {
        const s = Deno.env.get(ctx.params.name);
        console.log(s);
        console.log({ s });
        console.info([s], new Map([["s", s]]));
        console.error(new Error(`failed with ${s}`));
        console.warn(JSON.stringify({ s }));
        Deno.stdout.writeSync(new TextEncoder().encode(`${s}\n`));
        return { printed: true };
      },
    }),
  ],
});
