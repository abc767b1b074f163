import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import type { RunnerResult } from "../mod.ts";
import { fixture, runCliResults, stepOf, tempConfig } from "./_helpers.ts";

const MODES = ["process", "worker", "none"] as const;

function plugins(mode: string): string {
  return `plugins:
  - from: ${fixture("counter.ts")}
  - from: ${fixture("looped.ts")}
    isolation: ${mode}${mode === "none" ? "\n    trusted: true" : ""}
`;
}

/** Runs a config through the CLI: a Worker left spinning by a stuck plugin ends with it. */
async function runOnce(text: string): Promise<RunnerResult[]> {
  await using cfg = await tempConfig(text);
  return await runCliResults(cfg.file);
}

interface LoopData {
  succeeded: number;
  failed: number;
  skipped: number;
  failures: { item: unknown; step: string; error: string }[];
}

function loopData(results: RunnerResult[], id: string): LoopData {
  const data = stepOf(results, id).data as LoopData;
  const failures = [...data.failures].sort((a, b) =>
    JSON.stringify(a.item).localeCompare(JSON.stringify(b.item)) || a.step.localeCompare(b.step)
  );
  return { ...data, failures };
}

/** A loop whose sub-steps fail, skip, go on after errors, share data and read `ctx.steps`. */
function loopConfig(mode: string, stepByStep: boolean): string {
  // An `if:` on a sub-step makes the engine run the loop step by step.
  const cond = stepByStep ? `, if: "true"` : "";
  return `${plugins(mode)}services:
  - { id: source, use: "counter:Source", params: { n: 100 } }
orchestrator:
  runners:
    - id: main
      params: { label: fixed }
      run:
        - { id: take, use: "counter:Take", injects: { source: source } }
        - id: each
          for_each: "\${{ steps.take.data.items }}"
          continue_on_error: true
          concurrency: 3
          steps:
            - { id: parse, use: "looped:Parse", params: { n: "\${{ item }}", at: "\${{ index }}" }${cond} }
            - { id: mutate, use: "looped:Mutate", params: { doc: "\${{ steps.parse.data.doc }}" } }
            - id: check
              use: "looped:Check"
              continue_on_error: true
              params:
                doc: "\${{ steps.parse.data.doc }}"
                seen: "\${{ steps.parse.data.n }}"
                label: "\${{ params.label }} for \${{ runner.id }}"
            - { id: again, use: "looped:Parse", params: { n: "\${{ steps.mutate.data.tags }}" } }
        - id: missing
          continue_on_error: true
          for_each: "\${{ [1, 2] }}"
          steps:
            - { id: parse, use: "looped:Parse", params: { n: "\${{ item }}" }${cond} }
            - { id: next, use: "looped:Parse", params: { n: "\${{ steps.parse.data.nope }}" } }
`;
}

for (const mode of MODES) {
  Deno.test(`a for_each of one plugin runs inside its sandbox, as the engine would run it (${mode})`, async () => {
    const inside = await runOnce(loopConfig(mode, false));
    // Step by step in a sandbox, where each pipe gets its own copy of what it is given (as it
    // does inside the sandbox in every mode; a trusted plugin run step by step shares them).
    const outside = await runOnce(loopConfig("process", true));
    const a = loopData(inside, "each");
    deepStrictEqual(a, loopData(outside, "each"));
    strictEqual(a.succeeded + a.failed + a.skipped, 100);
    ok(a.failures.some((f) => /No such key: data/.test(f.error)), "a skipped step has no data");
    const check = a.failures.find((f) => f.step === "check")!;
    strictEqual(
      check.error,
      "fixed for main: take=succeeded,parse=succeeded,mutate=succeeded (at looped.ts:42)",
    );
    const missing = loopData(inside, "missing");
    deepStrictEqual(missing, loopData(outside, "missing"));
    match(
      missing.failures[0]!.error,
      /cannot evaluate "steps\.parse\.data\.nope": No such key: nope/,
    );
  });

  Deno.test(`the loop inside the sandbox is the one that ran (${mode})`, async () => {
    const results = await runOnce(`${plugins(mode)}orchestrator:
  runners:
    - id: main
      run:
        - id: each
          for_each: "\${{ [1] }}"
          steps:
            - { id: where, use: "looped:Where" }
`);
    match(loopData(results, "each").failures[0]!.error, /ran with LoopContext/);
  });

  Deno.test(`a sub-step inside the sandbox times out on its own (${mode})`, async () => {
    const t0 = Date.now();
    const results = await runOnce(`${plugins(mode)}orchestrator:
  runners:
    - id: main
      run:
        - id: each
          for_each: "\${{ [1, 2, 3, 4] }}"
          concurrency: 2
          steps:
            - { id: slow, use: "looped:Slow", params: { ms: 20000 }, timeout: 100ms }
`);
    const data = loopData(results, "each");
    strictEqual(data.failed, 4);
    for (const f of data.failures) strictEqual(f.error, "timed out after 100ms");
    ok(Date.now() - t0 < 15_000, "the steps were not left to run");
  });
}

for (const mode of ["process", "worker"] as const) {
  Deno.test(`a loop inside a sandbox that hangs loses and duplicates nothing, and goes on (${mode})`, async () => {
    const ITEMS = 120;
    const results = await runOnce(`${plugins(mode)}services:
  - { id: source, use: "counter:Source", params: { n: ${ITEMS} } }
  - { id: sink, use: "counter:Sink" }
defaults:
  kill_after: 200ms
orchestrator:
  runners:
    - id: main
      run:
        - { id: take, use: "counter:Take", injects: { source: source } }
        - id: each
          for_each: "\${{ steps.take.data.items }}"
          concurrency: 2
          continue_on_error: true
          timeout: 300ms
          steps:
            - { id: hang, use: "looped:HangEvery", params: { id: "\${{ item }}", every: 50 } }
            # Time enough for a service call on a busy machine: a put that timed out could still
            # reach the sink, and then count neither as succeeded nor as "may have run".
            - { id: put, use: "looped:Put", injects: { sink: sink }, params: { id: "\${{ steps.hang.data.id }}" }, timeout: 3s }
        - { id: report, use: "counter:Report", injects: { sink: sink } }
`);
    const loop = loopData(results, "each");
    const report = stepOf(results, "report").data as { count: number; unique: number };
    ok(loop.failed > 0, "the plugin hung");
    ok(loop.succeeded > 60, `the loop went on in a new sandbox: ${JSON.stringify(loop)}`);
    strictEqual(report.unique, report.count, "no item reached the sink twice");
    strictEqual(loop.succeeded + loop.failed, ITEMS, "every item is accounted for");
    // An item whose result the dead sandbox never reported may have run: it fails as such, and
    // is never run again.
    const mayHaveRun = loop.failures.filter((f) => /in case it did run/.test(f.error)).length;
    ok(mayHaveRun > 0 && mayHaveRun < loop.failures.length + 1);
    ok(report.count >= loop.succeeded, "every succeeded item reached the sink");
    ok(report.count <= loop.succeeded + mayHaveRun, "only items that may have run reached it");
  });
}
