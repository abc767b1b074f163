/**
 * Blame: a service that never answers is the one stopped, not the innocent pipe that called it,
 * in every isolation mode; the caller's step fails naming the service.
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { fixture, runCli, tempConfig } from "../_helpers.ts";

for (const isolation of ["process", "worker"] as const) {
  Deno.test(`a service that hangs is stopped, not its caller (${isolation})`, async (t) => {
    for (const method of ["wait", "spin"]) {
      await t.step(method, async () => {
        await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    isolation: ${isolation}
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("hang_service.ts")}
    isolation: ${isolation}
services:
  - { id: hang, use: "hang-service:Hang" }
defaults: { kill_after: 500ms }
orchestrator:
  runners:
    - id: main
      run:
        - id: call
          use: probe:Call
          timeout: 2s
          continue_on_error: true
          injects: { svc: hang }
          params: { service: svc, method: ${method} }
        - { id: after, use: probe:Echo, params: { x: 1 } }
`);
        const r = await runCli(["run", cfg.file, "--json"], { cwd: cfg.dir });
        const doc = JSON.parse(r.stdout);
        const steps = doc.runners[0].steps;
        strictEqual(steps[0].status, "failed", r.stdout);
        match(steps[0].error, new RegExp(`service "hang" did not answer ${method}\\(\\)`));
        strictEqual(steps[1].status, "succeeded", "the caller's plugin still works");
        const plugins = Object.fromEntries(
          doc.plugins.map((p: { prefix: string }) => [p.prefix, p]),
        );
        strictEqual(plugins.probe.restarts, 0, JSON.stringify(plugins.probe));
        strictEqual(plugins.probe.status, "running", JSON.stringify(plugins.probe));
        ok(plugins["hang-service"].lastError?.includes("so the plugin was stopped"), r.stdout);
        ok(plugins["hang-service"].restarts > 0 || plugins["hang-service"].status !== "running");
      });
    }
  });
}
