/**
 * The six-step ticket pipeline (fetch + normalize, enrich, classify, route, update: the shared
 * workload in ../shared/peers) run by otai, each step a plugin in its own Worker sandbox, side
 * by side in one process with the same work in a plain loop. Prints a table of items/s, the
 * ratio to the plain loop, and peak RSS; with --soak N, also RSS every 10% of N items.
 *
 * Run: deno run -A --unstable-worker-options bench/pipeline_bench.ts [--items 100000]
 *      [--batch 1000] [--lanes 1,2,4] [--soak 1000000]
 *
 * @module
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { fileURLToPath } from "node:url";
import * as peers from "../../shared/peers/common.mjs";
import { type OpenConfig, openConfig } from "../mod.ts";

/** The shared workload's API (plain JavaScript, typed here). */
interface Peers {
  makeTicket(i: number): unknown;
  makeSink(): { add(t: unknown): void; summary(): string };
  peakRssMB(): number;
  STEPS: ((t: unknown) => unknown)[];
}
const { makeSink, makeTicket, peakRssMB, STEPS } = peers as unknown as Peers;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    items: { type: "string", default: "100000" },
    batch: { type: "string", default: "1000" },
    lanes: { type: "string", default: "1,2,4" },
    warmup: { type: "string", default: "10000" },
    soak: { type: "string" },
  },
});
const N = Number(values.items);
const BATCH = Number(values.batch);
const WARM = Number(values.warmup);
const LANES = values.lanes!.split(",").map(Number);
const PLUGINS = fileURLToPath(new URL("./plugins/", import.meta.url));
const STEP_NAMES = ["fetch", "normalize", "enrich", "classify", "route", "update"];

function config(repeat?: { total: number; inFlight: number }): string {
  const plugins = STEP_NAMES.map((s) => `  - from: ${PLUGINS}${s}.ts\n`).join("");
  const pipes = ["Fetch", "Normalize", "Enrich", "Classify", "Route", "Update"];
  const steps = STEP_NAMES.map((s, i) =>
    i === 0
      ? `        - { id: fetch, use: "bench-fetch:Fetch", params: { count: ${BATCH}${
        repeat ? `, total: ${repeat.total}` : ""
      } } }\n`
      : `        - { id: ${s}, use: "bench-${s}:${pipes[i]}", params: { items: "\${{ steps.${
        STEP_NAMES[i - 1]
      }.data.items }}" } }\n`
  ).join("");
  const loop = repeat
    ? `      repeat: { while: "steps.fetch.data.count > 0", in_flight: ${repeat.inFlight} }\n`
    : "";
  return `plugins:\n${plugins}orchestrator:\n  runners:\n    - id: pipeline\n${loop}      run:\n${steps}`;
}

/**
 * Pushes `count` items through otai in batches, `lanes` cycles in flight at once. Lanes start
 * a fraction of a cycle apart: started together they would stay in step, each waiting for the
 * same sandbox, and never overlap.
 */
async function runOtai(app: OpenConfig, count: number, lanes: number, cycleMs = 0) {
  const sink = makeSink();
  let left = Math.ceil(count / BATCH);
  const lane = async (_: unknown, k: number) => {
    await new Promise((r) => setTimeout(r, (k * cycleMs) / lanes));
    while (left-- > 0) {
      const [result] = await app.run();
      const last = result!.steps.at(-1)!;
      if (last.status !== "succeeded") throw new Error(`${last.id}: ${last.error}`);
      for (const t of (last.data as { items: unknown[] }).items) sink.add(t);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return sink;
}

async function runPlain(count: number, start = 0) {
  const sink = makeSink();
  const steps = STEPS.map((f) => (t: unknown) => Promise.resolve(f(t)));
  for (let i = start; i < start + count; i++) {
    let t = makeTicket(i);
    for (const s of steps) t = await s(t);
    sink.add(t);
  }
  return sink;
}

/** Runs `fn`; returns its result, the wall time and the CPU time of the whole process (ms). */
function time<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return fn().then((r) => {
    const c = process.cpuUsage(c0);
    return [r, performance.now() - t0, (c.user + c.system) / 1000];
  });
}

const dir = await Deno.makeTempDir({ prefix: "otai-bench-" });
await Deno.writeTextFile(`${dir}/config.yml`, config());
const app = await openConfig(`${dir}/config.yml`);
const rows: string[][] = [];
try {
  await runPlain(WARM);
  const [, plainMs, plainCpu] = await time(() => runPlain(N));
  const plainRate = N / plainMs * 1000;
  rows.push([
    "plain loop (async steps)",
    "-",
    fmt(plainRate),
    "1.00",
    (plainCpu / plainMs).toFixed(2),
    "-",
  ]);
  // The fetch plugin numbers tickets on from where it stopped: warm-up first, then each run.
  await runOtai(app, WARM, 1);
  const cycleMs = (await time(() => runOtai(app, BATCH * 3, 1)))[1] / 3;
  let start = Math.ceil(WARM / BATCH) * BATCH + BATCH * 3;
  for (const lanes of LANES) {
    const [sink, ms, cpu] = await time(() => runOtai(app, N, lanes, cycleMs));
    const rate = N / ms * 1000;
    const expected = (await runPlain(N, start)).summary();
    start += Math.ceil(N / BATCH) * BATCH;
    const same = sink.summary() === expected ? "same" : "DIFFERENT";
    rows.push([
      `otai, 6 Worker sandboxes`,
      `${BATCH} x ${lanes}`,
      fmt(rate),
      (rate / plainRate).toFixed(2),
      (cpu / ms).toFixed(2),
      same,
    ]);
  }
  console.log(
    `\n${N} tickets (~2 KB each), ${WARM} warm-up; batch = items per message, lanes = cycles in flight\n`,
  );
  // The same through the config alone: a runner with repeat, in_flight cycles at once.
  for (const inFlight of LANES) {
    await Deno.writeTextFile(`${dir}/repeat.yml`, config({ total: N, inFlight }));
    using looped = await openConfig(`${dir}/repeat.yml`);
    const sink = makeSink();
    const [, ms, cpu] = await time(() =>
      looped.run({
        onCycle(r) {
          for (const t of (r.steps.at(-1)!.data as { items: unknown[] }).items) sink.add(t);
        },
      })
    );
    const rate = N / ms * 1000;
    const same = sink.summary() === (await runPlain(N, 0)).summary() ? "same" : "DIFFERENT";
    rows.push([
      "otai, config repeat (in_flight)",
      `${BATCH} x ${inFlight}`,
      fmt(rate),
      (rate / plainRate).toFixed(2),
      (cpu / ms).toFixed(2),
      same,
    ]);
  }
  table(["system", "batch x lanes", "items/s", "vs plain", "cores busy", "checksum"], rows);
  console.log(`peak RSS of this process (all runs): ${peakRssMB()} MB`);

  if (values.soak) {
    const total = Number(values.soak);
    const lanes = LANES.at(-1)!;
    console.log(`\nmemory over ${total} items through otai (batch ${BATCH}, ${lanes} lanes):\n`);
    const mem: string[][] = [];
    const step = Math.max(BATCH, Math.floor(total / 10 / BATCH) * BATCH);
    for (let done = 0; done < total; done += step) {
      await runOtai(app, step, lanes, cycleMs);
      const m = Deno.memoryUsage();
      mem.push([String(done + step), (m.rss / 1e6).toFixed(0), (m.heapUsed / 1e6).toFixed(0)]);
    }
    table(["items", "RSS MB", "host heap MB"], mem);
  }
} finally {
  app.close();
  await Deno.remove(dir, { recursive: true });
}

function fmt(rate: number): string {
  return Math.round(rate).toLocaleString("en-US");
}

function table(head: string[], body: string[][]): void {
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of body) console.log(line(r));
}
