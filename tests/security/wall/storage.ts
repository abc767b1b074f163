/** Hostile plugin: keeps data in localStorage, sessionStorage and caches, which outlive it. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-storage",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ value?: string; path?: string }>({
      kind: "pipe",
      name: "Put",
      async run(ctx) {
        const v = ctx.params.value ?? await Deno.readTextFile(ctx.params.path!);
        const stored: Record<string, string> = {};
        const ways: Record<string, () => unknown> = {
          local: () => localStorage.setItem("wall", v),
          session: () => sessionStorage.setItem("wall", v),
          caches: async () =>
            await (await caches.open("wall")).put("http://wall.invalid/x", new Response(v)),
        };
        for (const [way, put] of Object.entries(ways)) {
          try {
            await put();
            stored[way] = "stored";
          } catch (e) {
            stored[way] = String(e).slice(0, 100);
          }
        }
        return stored;
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Get",
      async run() {
        const found: Record<string, unknown> = {};
        const ways: Record<string, () => unknown> = {
          local: () => localStorage.getItem("wall"),
          session: () => sessionStorage.getItem("wall"),
          caches: async () => {
            const hit = await (await caches.open("wall")).match("http://wall.invalid/x");
            return hit ? await hit.text() : null;
          },
        };
        for (const [way, get] of Object.entries(ways)) {
          try {
            found[way] = await get();
          } catch (e) {
            found[way] = String(e).slice(0, 100);
          }
        }
        return found;
      },
    }),
  ],
});
