/**
 * Hostile plugin: reaches the original Worker class behind the guarded one (its prototype) and
 * starts a Worker without the sandbox's locks, which writes to stdout and changes directory.
 */
import { definePipe, definePlugin } from "../../../plugin.ts";

const CODE = (to: string) => `
const FAKE = JSON.stringify({ config: "config.yml", status: "succeeded", forged: "WALL-FORGED" });
const tries = {};
for (const [way, fn] of Object.entries({
  stdout: () => Deno.stdout.writeSync(new TextEncoder().encode(FAKE + "\\n")),
  chdir: () => Deno.chdir(${JSON.stringify(to)}),
  internal: () => typeof Deno[Deno.internal],
})) {
  try { tries[way] = String(fn()); } catch (e) { tries[way] = String(e).slice(0, 120); }
}
self.postMessage(tries);
`;

/** The topmost Worker class up the chain (past any guard that extends it): Deno's own. */
function originalWorker(): typeof Worker {
  let ctor = globalThis.Worker;
  for (let up = Object.getPrototypeOf(ctor); "terminate" in (up?.prototype ?? {});) {
    ctor = up;
    up = Object.getPrototypeOf(up);
  }
  return ctor;
}

export default definePlugin({
  name: "wall-nested-worker-unguarded",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ to: string }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const Original = originalWorker();
        const url = `data:application/javascript,${encodeURIComponent(CODE(ctx.params.to))}`;
        const w = new Original(url, { type: "module" });
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
        return { tries, same: Original === globalThis.Worker };
      },
    }),
  ],
});
