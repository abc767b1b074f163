/**
 * `deno task bench`: every workload, in every isolation mode, side by side with the plain loop
 * (and, where `../shared/peers` is present, Node-RED and n8n on the same work), each run as a
 * separate process several times. Prints one table: items/s (median), ratio to the plain loop,
 * peak RSS of the whole process tree (host and sandboxes), and whether the checksum matches the
 * plain loop's. With `--chart`, also sweeps items (10k, 100k, 1M; one plugin and the plain loop)
 * and plugins (1, 6, 20; 10k items) in the default mode and writes `bench/chart.svg`.
 *
 * ```sh
 * deno task bench [--items 50000] [--runs 3] [--chart | --chart-only]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { treePeakRss } from "./_rss.ts";
import { type Point, writeChart } from "./_chart.ts";
import { haveRedis } from "./_queue.ts";
import { sameCheck, table } from "./_table.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    items: { type: "string", default: "50000" },
    runs: { type: "string", default: "3" },
    chart: { type: "boolean", default: false },
    "chart-only": { type: "boolean", default: false },
  },
});
const N = Number(values.items);
const RUNS = Number(values.runs);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const RUN = here("./_run.ts");
const PEERS = here("../../shared/peers/");
const DENO = Deno.execPath();
const FLAGS = ["run", "-A", "--unstable-worker-options", "--cached-only"];

/** One row's measurement: medians over the runs. */
interface Row {
  workload: string;
  system: string;
  itemsPerS: number;
  rssMb: number;
  check: string;
  /** The checksum it must match, when not the plain loop's (a row over fewer items). */
  expect?: string;
  note?: string;
}

/** Runs a command `RUNS` times; the median items/s, the highest peak RSS, the checksum. */
async function measure(cmd: string[], cwd?: string): Promise<Omit<Row, "workload" | "system">> {
  const rates: number[] = [];
  let rss = 0;
  let check = "";
  let note: string | undefined;
  for (let r = 0; r < RUNS; r++) {
    const child = new Deno.Command(cmd[0]!, {
      args: cmd.slice(1),
      ...(cwd ? { cwd } : {}),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const peak = treePeakRss(child.pid);
    const out = await child.output();
    rss = Math.max(rss, await peak.stop());
    const text = new TextDecoder().decode(out.stdout);
    const line = text.split("\n").filter((l) => l.startsWith("{")).at(-1);
    if (!out.success || !line) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
      throw new Error(`${cmd.join(" ")} failed: ${err}`);
    }
    const result = JSON.parse(line);
    rates.push(result.items_per_s);
    check = result.check;
    if (result.us_per_step !== undefined) note = `${result.us_per_step.toFixed(2)} µs/item/step`;
  }
  rates.sort((a, b) => a - b);
  return {
    itemsPerS: rates[Math.floor(rates.length / 2)]!,
    rssMb: rss,
    check,
    ...(note ? { note } : {}),
  };
}

const otai = (workload: string, mode: string, items: number, plugins = 1) =>
  measure([DENO, ...FLAGS, RUN, workload, mode, String(items), String(plugins)]);

async function peerRows(items: number): Promise<Row[]> {
  try {
    await Deno.stat(`${PEERS}common.mjs`);
  } catch {
    return [];
  }
  const installed = await Deno.stat(`${PEERS}.install/nodered/node_modules/node-red`).then(
    () => true,
    () => false,
  );
  if (!installed) {
    console.error("installing Node-RED and n8n beside ../shared/peers (once)...");
    const sh = await new Deno.Command("bash", {
      args: ["-c", `sed -n '/^if \\[\\[ ! -d .install/p' run_all.sh | bash`],
      cwd: PEERS,
    }).output();
    if (!sh.success) return [];
  }
  const rows: Row[] = [];
  const peer = async (workload: string, system: string, cmd: string[], env = {}) => {
    try {
      const m = await measure(
        ["env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...cmd],
        PEERS,
      );
      rows.push({ workload, system, ...m });
    } catch (e) {
      console.error(`${system}: ${(e as Error).message}`);
    }
  };
  await peer("per-item, 6 steps", "Node-RED 4.1 (function nodes)", [
    "node",
    "nodered_bench.mjs",
    String(items),
  ]);
  await peer("per-item, 6 steps", "n8n-core 1.80 (one execution per ticket)", [
    "node",
    "n8n_bench.mjs",
    String(Math.min(items, 20000)),
    "1",
  ]);
  await peer("batched, 6 steps", "n8n-core 1.80 (1,000 items per execution)", [
    "node",
    "n8n_bench.mjs",
    String(items),
    "1000",
  ]);
  return rows;
}

async function startupRow(): Promise<Row> {
  const dir = await Deno.makeTempDir({ prefix: "otai-startup-" });
  const tickets = here("./plugins/tickets.ts");
  const plugins = Array.from({ length: 5 }, (_, k) => `  - from: ${tickets}\n    as: s${k}\n`).join(
    "",
  );
  await Deno.writeTextFile(
    `${dir}/config.yml`,
    `plugins:\n${plugins}orchestrator:\n  runners:\n    - id: once\n      run:\n        - { id: first, use: "s0:Noop", params: { i: 0 } }\n`,
  );
  await Deno.writeTextFile(`${dir}/empty.ts`, "");
  const time = async (args: string[]) => {
    const t0 = performance.now();
    const out = await new Deno.Command(DENO, { args, cwd: dir, stdout: "null", stderr: "piped" })
      .output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    return performance.now() - t0;
  };
  const mod = here("../mod.ts");
  await time(["run", "-A", mod, "run", "config.yml"]); // warm the cache
  const otaiMs: number[] = [];
  const emptyMs: number[] = [];
  for (let r = 0; r < Math.max(5, RUNS); r++) {
    emptyMs.push(await time(["run", "empty.ts"]));
    otaiMs.push(await time(["run", "-A", mod, "run", "config.yml"]));
  }
  await Deno.remove(dir, { recursive: true });
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const over = median(otaiMs) - median(emptyMs);
  return {
    workload: "start-up, 5 plugins",
    system: "otai process",
    itemsPerS: NaN,
    rssMb: NaN,
    check: "",
    note: `${Math.round(over)} ms over deno run of an empty file (${
      Math.round(median(emptyMs))
    } ms)`,
  };
}

if (!values["chart-only"]) await printTable();

if (values.chart || values["chart-only"]) {
  const sweep: Point[] = [];
  for (const items of [10_000, 100_000, 1_000_000]) {
    console.error(`chart: ${items} items...`);
    const p = await measure([DENO, ...FLAGS, RUN, "plain", "-", String(items)]);
    sweep.push({ series: "plain loop", x: items, itemsPerS: p.itemsPerS, rssMb: p.rssMb });
    const o = await otai("item", "process", items, 1);
    sweep.push({ series: "otai process, 1 plugin", x: items, ...o });
  }
  const byPlugins: Point[] = [];
  for (const plugins of [1, 6, 20]) {
    console.error(`chart: ${plugins} plugins...`);
    const o = await otai("item", "process", 10_000, plugins);
    byPlugins.push({ series: "otai process, 10k items", x: plugins, ...o });
  }
  await writeChart(here("./chart.svg"), sweep, byPlugins);
  const f = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
  table(
    ["series", "items or plugins", "items/s", "peak RSS MB"],
    [...sweep, ...byPlugins].map((p) => [p.series, f(p.x), f(p.itemsPerS), f(p.rssMb)]),
  );
  console.log("chart: bench/chart.svg");
}

/**
 * Queue mode on the per-item workload: two `otai worker` processes through a Redis of the
 * bench's own, over fewer items (each is a job), checked against the plain loop on as many.
 */
async function queueRows(): Promise<Row[]> {
  const workload = "per-item, 6 steps, 1 plugin";
  const system = "otai queue, 2 workers × 4 (process)";
  if (!(await haveRedis())) {
    console.error("no redis-server here: the queue row is left out");
    return [];
  }
  const n = Math.min(N, 5000);
  console.error(`${workload}: ${system}...`);
  const expect = (await measure([DENO, ...FLAGS, RUN, "plain", "-", String(n)])).check;
  const m = await measure([DENO, ...FLAGS, RUN, "queue", "process", String(n), "1", "4"]);
  return [{ workload, system, ...m, expect, note: `${n.toLocaleString("en-US")} items` }];
}

/** Measures every row and prints the table. */
async function printTable(): Promise<void> {
  const rows: Row[] = [];
  const add = async (
    workload: string,
    system: string,
    run: () => Promise<Omit<Row, "workload" | "system">>,
  ) => {
    console.error(`${workload}: ${system}...`);
    rows.push({ workload, system, ...(await run()) });
  };
  await add(
    "per-item, 6 steps",
    "plain loop",
    () => measure([DENO, ...FLAGS, RUN, "plain", "-", String(N)]),
  );
  for (const mode of ["process", "worker", "none"]) {
    await add("per-item, 6 steps, 1 plugin", `otai ${mode}`, () => otai("item", mode, N, 1));
  }
  for (const mode of ["process", "worker", "none"]) {
    await add("per-item, 6 steps, 6 plugins", `otai ${mode}`, () => otai("item", mode, N, 6));
  }
  for (const mode of ["process", "worker"]) {
    await add("batched, 6 plugins", `otai ${mode}`, () => otai("batch", mode, N));
  }
  await add("engine alone, no-op steps", "otai none", () => otai("noop", "none", N));
  rows.push(...(await queueRows()));
  rows.push(...(await peerRows(N)));
  rows.push(await startupRow());

  const plain = rows[0]!;
  const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
  const body = rows.map((r) => [
    r.workload,
    r.system,
    fmt(r.itemsPerS),
    Number.isFinite(r.itemsPerS) && r.check !== ""
      ? (r.itemsPerS / plain.itemsPerS).toFixed(2)
      : "-",
    fmt(r.rssMb),
    r.check === "" || r.workload.startsWith("engine")
      ? "-"
      : sameCheck(r.check, r.expect ?? plain.check)
      ? "same"
      : "INVALID",
    r.note ?? "",
  ]);
  table(["workload", "system", "items/s", "vs plain", "peak RSS MB", "checksum", "note"], body);
  console.log(
    `\n${N.toLocaleString("en-US")} tickets per run, median of ${RUNS} runs; ` +
      `${Deno.build.os} ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, ${
        new Date().toISOString().slice(0, 10)
      }`,
  );
  if (!(await Deno.stat(`${PEERS}common.mjs`).then(() => true, () => false))) {
    console.log("(no ../shared/peers beside the project: Node-RED and n8n rows left out)");
  }
}
