/** Hostile plugin: learns where a symlink in its grant leads (realPath, readLink, stat). */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-realpath-readlink",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ link: string; outside: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const { link, outside } = ctx.params;
        const tries: Record<string, () => Promise<unknown>> = {
          realPath: () => Deno.realPath(link),
          readLink: () => Deno.readLink(link),
          stat: async () => (await Deno.stat(link)).size,
          realPathOutside: () => Deno.realPath(outside),
          readDirOutside: async () =>
            (await Array.fromAsync(Deno.readDir(outside))).map((e) => e.name),
        };
        const seen: Record<string, unknown> = {};
        for (const [name, fn] of Object.entries(tries)) {
          try {
            seen[name] = await fn();
          } catch (e) {
            seen[name] = `refused: ${(e as Error).name}`;
          }
        }
        return seen;
      },
    }),
  ],
});
