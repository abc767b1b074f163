import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { fixture, runCli, tempConfig } from "./_helpers.ts";

Deno.test("a plugin written against plugin API 1.0 runs unchanged through the CLI", async () => {
  await using cfg = await tempConfig(`otai: "^1.0"
plugins:
  - from: ${fixture("api_1_0.ts")}
services:
  - { id: counter, use: "api-one:Counter", params: { start: 40 } }
orchestrator:
  runners:
    - id: main
      run:
        - { id: count, use: "api-one:Count", injects: { counter: counter }, params: { by: 2 } }
        - { id: look, use: "api-one:Look", injects: { counter: counter } }
        - { id: shape, use: "api-one:Shape" }
        - id: bad
          use: "api-one:Count"
          injects: { counter: counter }
          params: { by: "\${{ runner.id }}" }
          continue_on_error: true
`);
  const r = await runCli(["run", "--json", cfg.file]);
  strictEqual(r.code, 0, r.stderr);
  const steps = JSON.parse(r.stdout).runners[0].steps;
  deepStrictEqual(
    steps.slice(0, 3).map((s: { id: string; status: string; data?: unknown; error?: string }) => [
      s.id,
      s.status,
      s.data ?? s.error,
    ]),
    [
      ["count", "succeeded", { total: 42 }],
      ["look", "succeeded", { saw: "succeeded", services: 1 }],
      ["shape", "succeeded", {
        ticket: { id: "1", queue: "IT", notes: [{ body: "b" }] },
        none: null,
      }],
    ],
  );
  strictEqual(steps[3].status, "failed");
  match(steps[3].error, /^invalid params: by: give by as a number \(.*config\.yml:16\)$/);
});
