/** Hostile plugin: starts a Worker asking for more permissions than its own sandbox holds. */
import { definePipe, definePlugin } from "../../../plugin.ts";

const CODE = (p: { path: string; url: string; name: string }) => `
const tries = {};
for (const [way, fn] of Object.entries({
  read: () => Deno.readTextFile(${JSON.stringify(p.path)}),
  fetch: async () => (await fetch(${JSON.stringify(p.url)})).status,
  env: () => Deno.env.get(${JSON.stringify(p.name)}),
})) {
  try { tries[way] = String(await fn()); } catch (e) { tries[way] = String(e).slice(0, 120); }
}
self.postMessage(tries);
`;

export default definePlugin({
  name: "wall-nested-worker-escalate",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe<{ path: string; url: string; name: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const url = `data:application/javascript,${encodeURIComponent(CODE(ctx.params))}`;
        const options = {
          type: "module",
          deno: { permissions: { read: true, net: true, env: true } },
        } as WorkerOptions;
        const w = new Worker(url, options);
        const tries = await new Promise((resolve) => {
          const timer = setTimeout(() => resolve("no answer"), 3000);
          w.onmessage = (e) => {
            clearTimeout(timer);
            resolve(e.data);
          };
          w.onerror = (e) => {
            e.preventDefault();
            clearTimeout(timer);
            resolve(String(e.message));
          };
        });
        w.terminate();
        return { tries };
      },
    }),
  ],
});
