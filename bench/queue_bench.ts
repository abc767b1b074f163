/**
 * `deno task bench:queue`: queue mode against one process on I/O-bound items (each sleeps, as a
 * ticket system or model call waits): the same `for_each` run by `otai run` alone
 * (`concurrency: 2`), then distributed over `--workers` `otai worker --concurrency 2`
 * processes through a `redis-server` started here on a free loopback port. Prints items/s of the
 * loop (its step's duration, start-up excluded), the speed-up, and whether every item was
 * counted once.
 *
 * ```sh
 * deno task bench:queue [--items 400] [--ms 50] [--workers 3]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { startQueue } from "./_queue.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    items: { type: "string", default: "400" },
    ms: { type: "string", default: "50" },
    workers: { type: "string", default: "3" },
  },
});
const N = Number(values.items);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const MOD = here("../mod.ts");
const PROBE = here("../tests/fixtures/plugins/probe.ts");

/** The config: `n` items, each a sleep of `ms`, distributed when `url` is given. */
function config(url: string | undefined): string {
  return `${url ? `queue: { url: "${url}" }\n` : ""}plugins:
  - from: ${PROBE}
    permissions: { read: true, env: true, net: true }
orchestrator:
  runners:
    - id: bench
      run:
        - { id: list, use: "probe:Items", params: { n: ${N} } }
        - id: each
          for_each: "\${{ steps.list.data.items }}"
          concurrency: 2
          ${url ? "distribute: true" : ""}
          collect: "\${{ item }}"
          steps:
            - { id: nap, use: "probe:Sleep", params: { ms: ${values.ms} } }
`;
}

/** `otai run --json` of a config: the loop's items/s and whether each item came once. */
async function runOnce(file: string): Promise<{ itemsPerS: number; once: boolean }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "run", file, "--json"],
    stderr: "inherit",
  }).output();
  const doc = JSON.parse(new TextDecoder().decode(out.stdout));
  const step = doc.runners[0].steps[1];
  const seen = new Set(step.data.collected);
  return {
    itemsPerS: N / (step.duration_ms / 1000),
    once: step.data.collected.length === N && seen.size === N,
  };
}

const dir = await Deno.makeTempDir({ prefix: "otai-queue-bench-" });
await using queue = await startQueue();
try {
  await Deno.writeTextFile(`${dir}/local.yml`, config(undefined));
  await Deno.writeTextFile(`${dir}/queue.yml`, config(queue.url));
  const local = await runOnce(`${dir}/local.yml`);
  await queue.workers(`${dir}/queue.yml`, Number(values.workers), 2);
  const queued = await runOnce(`${dir}/queue.yml`);
  const f = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(`| ${N} items of ${values.ms} ms, concurrency 2 | items/s | each item once |`);
  console.log("|---|---|---|");
  console.log(`| one process | ${f(local.itemsPerS)} | ${local.once} |`);
  console.log(
    `| queue mode, ${values.workers} workers | ${f(queued.itemsPerS)} ` +
      `(${(queued.itemsPerS / local.itemsPerS).toFixed(1)}x) | ${queued.once} |`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
