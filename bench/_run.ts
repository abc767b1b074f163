/**
 * One benchmark measurement, in a process of its own (`bench/bench.ts` starts these and reads
 * the JSON line each prints):
 *
 * ```sh
 * deno run -A --unstable-worker-options --cached-only bench/_run.ts <workload> <mode> <items> [plugins] [concurrency]
 * ```
 *
 * Workloads: `plain` (the five transforms in a loop, the physical limit), `item` (a per-item
 * `for_each` of six steps, `plugins` = 1 or more sandboxes), `queue` (the same loop distributed
 * over two `otai worker` processes through a `redis-server` started for it, `concurrency` jobs
 * at a time each), `batch` (six plugins, 1,000 tickets
 * per step), `noop` (six no-op steps per item: the engine alone), `startup` (time to the end
 * of a one-step run with five plugins, minus `deno run` of an empty file).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import * as w from "./_workload.ts";

const [workload = "item", mode = "process", itemsArg = "20000", pluginsArg = "1", conc = "1"] =
  Deno.args;
const N = Number(itemsArg);
const PLUGINS = Number(pluginsArg);
const WARM = Math.min(10_000, Math.ceil(N / 5));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TICKETS = here("./plugins/tickets.ts");
const SUBS = ["Normalize", "Enrich", "Classify", "Route", "Update"];

function pluginLines(count: number): string {
  const trust = mode === "none" ? "\n    trusted: true" : "";
  return Array.from(
    { length: count },
    (_, k) => `  - from: ${TICKETS}\n    as: t${k}\n    isolation: ${mode}${trust}\n`,
  ).join("");
}

/** A per-item for_each: fetch + five transforms, step k in plugin k % plugins. */
function itemConfig(n: number, plugins: number, noop = false): string {
  const p = (k: number) => `t${k % plugins}`;
  const names = ["Fetch", ...SUBS];
  const ids = names.map((x) => x.toLowerCase());
  const subs = names.map((name, k) => {
    const params = k === 0
      ? `{ i: "\${{ item }}" }`
      : `{ ticket: "\${{ steps.${ids[k - 1]}.data.ticket }}" }`;
    const use = noop ? `${p(k)}:Noop` : `${p(k)}:${name}`;
    return `            - { id: ${ids[k]}, use: "${use}", params: ${noop ? "{ i: 0 }" : params} }`;
  }).join("\n");
  const last = p(names.length - 1);
  return `plugins:\n${pluginLines(plugins)}orchestrator:
  runners:
    - id: bench
      run:
        - { id: range, use: "t0:Range", params: { counts: [${WARM}, ${n}] } }
        - id: each
          for_each: "\${{ steps.range.data.items }}"
          concurrency: ${Number(conc)}
          steps:
${subs}
        - { id: summary, use: "${last}:Summary" }
`;
}

/** Six plugins, each step a batch of 1,000 tickets, cycles back to back until `total`. */
function batchConfig(total: number): string {
  const names = ["fetch", "normalize", "enrich", "classify", "route", "update"];
  const trust = mode === "none" ? "\n    trusted: true" : "";
  const plugins = names.map((s) =>
    `  - from: ${here(`./plugins/${s}.ts`)}\n    isolation: ${mode}${trust}\n`
  ).join("");
  const steps = names.map((s, i) => {
    const pipe = s[0]!.toUpperCase() + s.slice(1);
    const params = i === 0
      ? `{ count: 1000, totals: [${WARM}, ${total}] }`
      : `{ items: "\${{ steps.${names[i - 1]}.data.items }}" }`;
    return `        - { id: ${s}, use: "bench-${s}:${pipe}", params: ${params} }`;
  }).join("\n");
  return `plugins:\n${plugins}orchestrator:
  runners:
    - id: bench
      repeat: { while: "steps.fetch.data.count > 0" }
      run:
${steps}
        - { id: summary, use: "bench-update:Summary", if: "steps.fetch.data.count == 0" }
`;
}

/** The per-item loop distributed through `url`, each item's ticket collected (no sink). */
function queueConfig(n: number, url: string, concurrency: number): string {
  return `queue: { url: "${url}" }\n` + itemConfig(n, PLUGINS)
    .replace(
      /concurrency: \d+\n/,
      `concurrency: ${concurrency}\n          distribute: true\n` +
        '          collect: "\${{ steps.update.data.ticket }}"\n',
    )
    .replace(/ {8}- \{ id: summary.*\n/, "");
}

/** Queue mode: two `otai worker` processes and this one scheduling, through a Redis of its own. */
async function queued(workers: number, concurrency: number): Promise<[string, number]> {
  const { startQueue } = await import("./_queue.ts");
  await using queue = await startQueue();
  const text = queueConfig(N, queue.url, workers * concurrency);
  return await withConfig(text, async (file) => {
    await queue.workers(file, workers, concurrency);
    const { openConfig } = await import("../mod.ts");
    const { QueueScheduler } = await import("../queue/scheduler.ts");
    using app = await openConfig(file);
    await using scheduler = new QueueScheduler({ url: queue.url, hashes: app.hashes });
    const loop = async () => {
      const [r] = await app.run({ distribute: scheduler.distribute });
      const each = r!.steps.find((s) => s.id === "each")!;
      if (each.status !== "succeeded") throw new Error(`each: ${each.status} ${each.error ?? ""}`);
      return (each.data as { collected: w.Ticket[] }).collected;
    };
    await loop();
    const t0 = performance.now();
    const tickets = await loop();
    const ms = performance.now() - t0;
    const sink = new w.Sink();
    for (const t of tickets) sink.add(t);
    return [sink.summary(), ms];
  });
}

async function withConfig<T>(text: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "otai-bench-" });
  try {
    await Deno.writeTextFile(`${dir}/config.yml`, text);
    return await fn(`${dir}/config.yml`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function plain(n: number): Promise<string> {
  const steps = w.STEPS.map((f) => (t: w.Ticket) => Promise.resolve(f(t)));
  const sink = new w.Sink();
  for (let i = 0; i < n; i++) {
    let t = w.makeTicket(i);
    for (const s of steps) t = await s(t);
    sink.add(t);
  }
  return sink.summary();
}

/** Runs a config twice in the same sandboxes (warm-up, then timed); the timed run's checksum. */
function otai(text: string): Promise<[string, number]> {
  return withConfig(text, async (file) => {
    // Imported here, so that the plain loop runs in a process that never loaded otai.
    const { openConfig } = await import("../mod.ts");
    using app = await openConfig(file);
    await app.run();
    const t0 = performance.now();
    const results = await app.run();
    const ms = performance.now() - t0;
    let summary = "";
    for (const r of results) {
      for (const s of r.steps) {
        if (s.status === "failed") throw new Error(`${s.id}: ${s.error}`);
        if (s.id === "summary") summary = (s.data as { summary: string }).summary;
      }
    }
    return [summary, ms];
  });
}

async function measure(): Promise<Record<string, unknown>> {
  switch (workload) {
    case "plain": {
      await plain(WARM);
      const t0 = performance.now();
      const check = await plain(N);
      return { ms: performance.now() - t0, check };
    }
    case "item": {
      const [check, ms] = await otai(itemConfig(N, PLUGINS));
      return { ms, check };
    }
    case "noop": {
      const [check, ms] = await otai(itemConfig(N, 1, true));
      return { ms, check, us_per_step: (ms * 1000) / N / 6 };
    }
    case "queue": {
      const [check, ms] = await queued(2, Number(conc));
      return { ms, check };
    }
    case "batch": {
      const [check, ms] = await otai(batchConfig(N));
      return { ms, check };
    }
    default:
      throw new Error(`unknown workload ${workload}`);
  }
}

const result = await measure();
const ms = result.ms as number;
console.log(JSON.stringify({ ...result, items_per_s: Math.round(N / ms * 1000) }));
