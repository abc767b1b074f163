/**
 * Hostile plugin, the receiving half of a pair: it listens on BroadcastChannels from its top
 * level and looks into storage another plugin may have filled.
 */
import { definePipe, definePlugin } from "../../../plugin.ts";

const heard: unknown[] = [];
for (const name of ["wall", "otai"]) {
  try {
    new BroadcastChannel(name).onmessage = (e) => heard.push(e.data);
  } catch { /* not available */ }
}

export default definePlugin({
  name: "wall-listener",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Heard",
      async run() {
        await new Promise((r) => setTimeout(r, 300));
        return { heard };
      },
    }),
    definePipe({
      kind: "pipe",
      name: "Look",
      async run() {
        const found: Record<string, unknown> = {};
        try {
          found.local = localStorage.getItem("wall");
        } catch (e) {
          found.local = String(e).slice(0, 100);
        }
        try {
          found.session = sessionStorage.getItem("wall");
        } catch (e) {
          found.session = String(e).slice(0, 100);
        }
        try {
          const hit = await (await caches.open("wall")).match("http://wall.invalid/x");
          found.caches = hit ? await hit.text() : null;
        } catch (e) {
          found.caches = String(e).slice(0, 100);
        }
        return found;
      },
    }),
  ],
});
