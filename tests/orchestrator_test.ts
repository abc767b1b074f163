import { match, ok, strictEqual } from "node:assert/strict";
import { openConfig, type RunnerResult } from "../mod.ts";
import { fixture, ROOT, runCli, tempConfig } from "./_helpers.ts";

const PROBE = `plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
`;

Deno.test("openConfig().run() repeats an interval runner until the signal aborts", async () => {
  await using cfg = await tempConfig(`${PROBE}orchestrator:
  runners:
    - id: ticker
      on: { interval: 50ms }
      run: { id: a, use: "probe:Echo", params: { n: 1 } }
    - id: once
      run: { id: b, use: "probe:Echo" }
`);
  using app = await openConfig(cfg.file);
  const controller = new AbortController();
  const cycles: RunnerResult[] = [];
  const results = await app.run({
    signal: controller.signal,
    onCycle(r) {
      cycles.push(r);
      if (cycles.filter((c) => c.id === "ticker").length === 3) controller.abort();
    },
  });
  strictEqual(cycles.filter((c) => c.id === "once").length, 1);
  const ticks = cycles.filter((c) => c.id === "ticker");
  strictEqual(ticks.length, 3);
  strictEqual(results.find((r) => r.id === "ticker")!.cycle, 3);
  const gap = Date.parse(ticks[1]!.started_at) - Date.parse(ticks[0]!.started_at);
  ok(gap >= 45, `cycles ${gap} ms apart`);
});

Deno.test("openConfig().run() waits for the next cron time", async () => {
  await using cfg = await tempConfig(`${PROBE}orchestrator:
  runners:
    - id: every_second
      on: { cron: "* * * * * *" }
      run: { id: a, use: "probe:Echo" }
`);
  using app = await openConfig(cfg.file);
  const controller = new AbortController();
  const starts: number[] = [];
  await app.run({
    signal: controller.signal,
    onCycle(r) {
      starts.push(Date.parse(r.started_at));
      if (starts.length === 2) controller.abort();
    },
  });
  strictEqual(starts.length, 2);
  const second = new Date(starts[1]!);
  ok(second.getMilliseconds() < 800, `second cycle at ${second.toISOString()}`);
});

Deno.test("otai run stops a scheduled runner cleanly on SIGTERM", async () => {
  await using cfg = await tempConfig(`${PROBE}orchestrator:
  runners:
    - id: ticker
      on: { interval: 100ms }
      run: { id: a, use: "probe:Echo", params: { n: 1 } }
`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}mod.ts`, cfg.file, "--log-level", "debug"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + 20_000;
  while (!seen.includes("sleeps") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  child.kill("SIGTERM");
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  const status = await child.status;
  const stdout = new TextDecoder().decode(
    new Uint8Array(await new Response(child.stdout).arrayBuffer()),
  );
  strictEqual(status.code, 0, seen);
  match(seen, /stopping after the current work/);
  match(stdout, /ticker\s+succeeded/);
});

Deno.test("otai plugins list shows a plugin the running otai has quarantined", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("crashy.ts")}
defaults:
  kill_after: 100ms
orchestrator:
  runners:
    - id: ticker
      on: { interval: 100ms }
      run: { id: a, use: "crashy:Process", params: { id: 1, every: 1 }, timeout: 100ms }
`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}mod.ts`, cfg.file],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    let status = "";
    for (let i = 0; i < 1200 && !status.includes('"quarantined"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await Deno.readTextFile(`${cfg.dir}/otai.status.json`).catch(() => "");
    }
    match(status, /"status": "quarantined"/);
    const list = await runCli(["plugins", "list", cfg.file]);
    match(
      list.stdout,
      /in the running otai \(pid \d+, .*\): quarantined, restarted \d+ time\(s\); last: a step did not stop/,
    );
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
});

Deno.test("a repeat runner runs cycles back to back, some in flight, until its condition fails", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("counter.ts")}
services:
  - { id: sink, use: "counter:Sink" }
orchestrator:
  runners:
    - id: drain
      repeat: { while: "steps.next.data.count > 0", in_flight: 3 }
      run:
        - { id: next, use: "counter:Next", params: { count: 7, total: 100 } }
        - { id: put, use: "counter:PutAll", injects: { sink: sink }, params: { items: "\${{ steps.next.data.items }}" } }
`);
  using app = await openConfig(cfg.file);
  const cycles: RunnerResult[] = [];
  const [result] = await app.run({ onCycle: (r) => void cycles.push(r) });
  const ids = cycles.flatMap((c) => (c.steps[0]!.data as { items: number[] }).items);
  strictEqual(ids.length, 100, "every item once");
  strictEqual(new Set(ids).size, 100, "no item twice");
  ok(
    cycles.length >= 16 && cycles.length <= 18,
    `${cycles.length} cycles: 15 with items, then empty`,
  );
  strictEqual(result!.status, "succeeded");
  // Cycles overlap, never more than in_flight at once.
  const edges = cycles.flatMap((c) => {
    const start = Date.parse(c.started_at);
    return [[start, 1], [start + c.duration_ms, -1]] as [number, number][];
  }).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, open += d);
  ok(most <= 3, `at most 3 in flight, saw ${most}`);
});

Deno.test("a runner with both on and repeat is refused", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("counter.ts")}
orchestrator:
  runners:
    - id: drain
      on: { interval: 1s }
      repeat: { while: "true" }
      run: { id: next, use: "counter:Next", params: { count: 1, total: 1 } }
`);
  const r = await runCli(["check", cfg.file]);
  strictEqual(r.code, 2);
  match(r.stderr, /repeat: give either on \(a schedule\) or repeat, not both/);
});

/**
 * `otai run` of a config whose items each call a loopback server (so otai's signal handlers are
 * in place once it answers) and then sleep; `started` resolves at the first call.
 */
async function sleepyRun(sleepMs: number, defaults = "") {
  let called!: () => void;
  const started = new Promise<void>((r) => (called = r));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    called();
    return new Response("ok");
  });
  const cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
${defaults}orchestrator:
  runners:
    - id: main
      run:
        - { id: list, use: "probe:Items", params: { n: 10 } }
        - id: each
          for_each: "\${{ steps.list.data.items }}"
          steps:
            - { id: ready, use: "probe:Fetch", params: { url: "http://127.0.0.1:${server.addr.port}/" } }
            - { id: s, use: "probe:Sleep", params: { ms: ${sleepMs} } }
`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}mod.ts`, cfg.file],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  return {
    child,
    started,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await cfg[Symbol.asyncDispose]();
    },
  };
}

Deno.test("otai run quits at once on a second signal, but not on one arriving twice", async () => {
  // Each item takes 5 s, so a graceful stop waits for the one in flight.
  await using run = await sleepyRun(5000);
  const { child } = run;
  await run.started;
  child.kill("SIGTERM");
  child.kill("SIGTERM"); // the same stop, delivered twice: still a graceful stop
  await new Promise((r) => setTimeout(r, 700));
  const t0 = Date.now();
  child.kill("SIGTERM"); // a second stop, later: quit now
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  strictEqual(out.code, 143, stderr);
  ok(Date.now() - t0 < 2000, "quit without waiting for the item in flight");
  match(stderr, /stopping after the current work \(at most 8s; send SIGTERM again to quit now\)/);
});

Deno.test("a stop whose work in flight outlasts stop_grace stops the plugins and exits 143", async () => {
  await using run = await sleepyRun(60_000, "defaults:\n  stop_grace: 300ms\n");
  await run.started;
  run.child.kill("SIGTERM");
  const out = await run.child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  const stdout = new TextDecoder().decode(out.stdout);
  strictEqual(out.code, 143, stderr);
  match(stderr, /did not finish within 300ms of the stop; stopping the plugins/);
  // The step in flight failed when its plugin was stopped; the run still reports.
  match(stdout, /each +failed/);
});
