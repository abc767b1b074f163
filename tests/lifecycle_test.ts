/**
 * A manifest's `setup()`: run in each sandbox under the plugin's permissions before anything
 * else; when it throws, `otai run` and `otai check` stop with exit code 2 before any step. The
 * commercial-plugin example (examples/licensed) checks a license key this way. Then `start()`,
 * `stop()`, `health()`, services' close and events, through the CLI in every isolation mode.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { fixture, ROOT, runCli, tempConfig } from "./_helpers.ts";

const config = (isolation = "process") =>
  `plugins:
  - from: ${ROOT}examples/licensed/plugin.ts
    isolation: ${isolation}
    permissions:
      env: ["ACME_LICENSE_KEY", "ACME_LICENSE_URL", "ACME_LICENSE_CACHE"]
      net: ["127.0.0.1"]
      read: ["."]
      write: ["."]
orchestrator:
  runners:
    - id: main
      run: { id: work, use: "licensed:Work" }
`;

Deno.test("a plugin whose setup rejects its license key stops otai before any step, exit 2", async (t) => {
  for (const isolation of ["process", "worker"]) {
    await t.step(`an ended trial (${isolation})`, async () => {
      await using cfg = await tempConfig(config(isolation));
      const env = { ACME_LICENSE_KEY: "TRIAL-2020-01-31" };
      for (const command of ["run", "check"]) {
        const r = await runCli([command, cfg.file], { env });
        strictEqual(r.code, 2, `${command}: ${r.stderr}`);
        match(r.stderr, /setup failed: the trial ended on 2020-01-31; buy a license/);
        ok(!/work/.test(r.stdout), `no step ran: ${r.stdout}`);
      }
    });
  }
  await t.step("a trial still running", async () => {
    await using cfg = await tempConfig(config());
    const r = await runCli(["run", cfg.file], { env: { ACME_LICENSE_KEY: "TRIAL-2999-12-31" } });
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, /work +succeeded/);
  });
});

Deno.test("an online license check, its cached grace period, and a refused key kept secret", async () => {
  let valid = true;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const { key } = await req.json();
    return Response.json(valid ? { valid: true } : { valid: false, reason: `key ${key} revoked` });
  });
  await using cfg = await tempConfig(config());
  const env = {
    ACME_LICENSE_KEY: "KEY-secret-Acme-7781",
    ACME_LICENSE_URL: `http://127.0.0.1:${server.addr.port}/check`,
    ACME_LICENSE_CACHE: `${cfg.dir}/license.json`,
  };
  try {
    const good = await runCli(["run", cfg.file], { env });
    strictEqual(good.code, 0, good.stderr);
    ok((await Deno.readTextFile(env.ACME_LICENSE_CACHE)).includes("checked_at"));
    valid = false;
    const refused = await runCli(["run", cfg.file], { env });
    strictEqual(refused.code, 2, refused.stderr);
    match(refused.stderr, /setup failed: the license key was refused: key \*\*\* revoked/);
    ok(!(refused.stdout + refused.stderr).includes(env.ACME_LICENSE_KEY), "the key is not shown");
  } finally {
    await server.shutdown();
  }
  const offline = await runCli(["run", cfg.file], { env });
  strictEqual(offline.code, 0, offline.stderr);
  match(offline.stderr, /license server cannot be reached; using the check of/);
  await Deno.remove(env.ACME_LICENSE_CACHE);
  const none = await runCli(["run", cfg.file], { env });
  strictEqual(none.code, 2, none.stderr);
  match(none.stderr, /setup failed: the license server cannot be reached .* no good check/);
});

/** A config of the lifecycle fixture (and, when given, more plugin entries). */
const lifecycleConfig = (isolation: string, more = "") =>
  `plugins:
  - from: ${fixture("lifecycle.ts")}
    isolation: ${isolation}${isolation === "none" ? "\n    trusted: true" : ""}
    permissions: { read: ["."], write: ["."], env: ["LIFECYCLE_TOKEN"] }
${more}services:
  - id: db
    use: lifecycle:Store
  - id: tickets
    use: lifecycle:Tickets
    injects: { db: db }
orchestrator:
  runners:
    - id: main
      run:
        - { id: touch, use: "lifecycle:Touch", injects: { tickets: tickets } }
        - id: each # runs inside the sandbox
          for_each: "\${{ [1, 2, 3] }}"
          continue_on_error: true
          steps: [{ id: work, use: "lifecycle:Work", params: { value: "\${{ item }}" } }]
        - id: again # runs step by step (an if:)
          for_each: '\${{ ["a", "b"] }}'
          continue_on_error: true
          steps:
            - { id: work2, use: "lifecycle:Work", if: "true", params: { value: "\${{ item }}" } }
        - { id: last, use: "lifecycle:Work" }
`;

/**
 * What the lifecycle fixture wrote: setup, start, then the steps with the events as they came,
 * then the services closed (the last created first) and stop, after every event.
 */
async function checkLifecycleLog(dir: string): Promise<void> {
  const lines = (await Deno.readTextFile(`${dir}/lifecycle.log`)).trim().split("\n");
  deepStrictEqual(lines.slice(0, 2), ["setup", "start"], "setup and start before any step");
  deepStrictEqual(lines.slice(-3), ["close tickets", "close db", "stop"]);
  const events = lines.filter((l) => l.startsWith("event ")).map((l) => JSON.parse(l.slice(6)));
  deepStrictEqual(events.map((e) => [e.type, e.step ?? e.runner, e.index]), [
    ["runner.started", "main", undefined],
    ["ticket.updated", undefined, undefined],
    ["step.failed", "work", 1],
    ["step.failed", "each", undefined],
    ["step.failed", "work2", 1],
    ["step.failed", "again", undefined],
    ["runner.finished", "main", undefined],
  ]);
  const [started, ticket, failed] = events;
  deepStrictEqual(Object.keys(started).sort(), ["at", "cycle", "runner", "type"]);
  deepStrictEqual({ ...ticket, at: "" }, {
    type: "ticket.updated",
    service: "tickets",
    ticket: "7",
    method: "update",
    changes: { queue: "IT" },
    at: "",
  });
  match(failed.error, /^value 2 failed \(at lifecycle\.ts:\d+\)$/);
  strictEqual(events.at(-1).status, "succeeded");
}

Deno.test("start() and stop() run around the runners, services close, events reach subscribers", async (t) => {
  const grumpyEntry = `  - from: ${fixture("grumpy.ts")}\n`;
  await using cfg = await tempConfig(lifecycleConfig("process", grumpyEntry));
  await t.step("otai run: in order, and a throwing or hanging handler fails nothing", async () => {
    const r = await runCli(["run", "--json", cfg.file]);
    strictEqual(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    strictEqual(doc.runners[0].status, "succeeded");
    strictEqual(doc.runners[0].steps.at(-1).id, "last", "the runner went on to its last step");
    await checkLifecycleLog(cfg.dir);
    const [lifecycle, grumpy] = doc.plugins;
    deepStrictEqual(lifecycle.events, { delivered: 7, failed: 0, dropped: 0 });
    strictEqual(lifecycle.status, "running");
    ok(grumpy.events.failed >= 1, JSON.stringify(grumpy.events));
    strictEqual(grumpy.events.dropped, 3, "queued behind the handler that hangs");
    match(
      r.stderr,
      /Plugin "grumpy" failed to handle the event "runner\.started": "grumpy does not like runners \(at grumpy\.ts:\d+\)"/,
    );
    match(r.stderr, /Plugin "grumpy" missed 3 event\(s\)/);
    match(r.stderr, /Plugin "grumpy": its stop\(\) failed: "grumpy will not stop/);
  });
  await t.step("otai plugins list: what health() says", async () => {
    const r = await runCli(["plugins", "list", cfg.file]);
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, /lifecycle@1\.0\.0[^]*\n {2}health: not ok: the queue is 3 days behind\n/);
    strictEqual(r.stdout.match(/health:/g)?.length, 1, "grumpy has no health()");
  });
  await t.step(
    "a failing start(): exit 2 with its message, secrets redacted, no step",
    async () => {
      await Deno.remove(`${cfg.dir}/lifecycle.log`);
      const env = { LIFECYCLE_TOKEN: "BAD-secret-4242" };
      const r = await runCli(["run", cfg.file], { env });
      strictEqual(r.code, 2, r.stderr);
      match(
        r.stderr,
        /Cannot start plugin "lifecycle": start failed: the token \*\*\* was refused/,
      );
      ok(!(r.stdout + r.stderr).includes(env.LIFECYCLE_TOKEN), "the token is not shown");
      const lines = (await Deno.readTextFile(`${cfg.dir}/lifecycle.log`)).trim().split("\n");
      ok(!lines.some((l) => l.startsWith("run ") || l === "stop"), lines.join("\n"));
      deepStrictEqual(lines.slice(-2), ["close tickets", "close db"]);
    },
  );
});

Deno.test("otai run runs the lifecycle and events the same in worker and none isolation", async (t) => {
  // Through the CLI, which makes the config's directory its working directory (the fixture
  // writes its log there): a test process must not change its own, which other tests share.
  for (const isolation of ["worker", "none"]) {
    await t.step(isolation, async () => {
      await using cfg = await tempConfig(lifecycleConfig(isolation));
      const r = await runCli(["run", "--json", cfg.file], {
        flags: ["-A", "--unstable-worker-options", "--cached-only"],
      });
      strictEqual(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      strictEqual(doc.runners[0].status, "succeeded");
      deepStrictEqual(doc.plugins[0].events, { delivered: 7, failed: 0, dropped: 0 });
      await checkLifecycleLog(cfg.dir);
    });
  }
});
