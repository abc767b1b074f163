import { ok, strictEqual } from "node:assert/strict";
import { fixture, runCliResults, tempConfig } from "../_helpers.ts";

const ITEMS = 60;

for (const mode of ["worker", "process"] as const) {
  Deno.test(`a plugin that crashes every Nth call loses and duplicates nothing (${mode})`, async () => {
    await using cfg = await tempConfig(`plugins:
  - from: ${fixture("counter.ts")}
  - from: ${fixture("crashy.ts")}
    isolation: ${mode}
services:
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
          concurrency: 4
          continue_on_error: true
          steps:
            - { id: process, use: "crashy:Process", params: { id: "\${{ item }}", every: 7 }, timeout: 300ms }
            - { id: put, use: "counter:Put", injects: { sink: sink }, params: { id: "\${{ steps.process.data.id }}" } }
        - { id: report, use: "counter:Report", injects: { sink: sink } }
`);
    // Through the CLI: the Worker the stuck plugin leaves spinning must end with its process.
    const [result] = await runCliResults(cfg.file);
    const loop = result!.steps.find((s) => s.id === "each")!.data as {
      succeeded: number;
      failed: number;
      skipped: number;
    };
    const report = result!.steps.find((s) => s.id === "report")!.data as {
      count: number;
      unique: number;
    };
    ok(loop.failed > 0, "the plugin crashed");
    strictEqual(report.unique, report.count, "no item reached the sink twice");
    strictEqual(report.count, loop.succeeded, "every succeeded item reached the sink");
    strictEqual(report.count + loop.failed, ITEMS, "in = out + failed");
    strictEqual(loop.skipped, 0);
  });
}
