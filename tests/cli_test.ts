import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { fixture, ROOT, runCli, tempConfig } from "./_helpers.ts";
import { serveJsrRegistry, workspacePackages } from "../testing.ts";

const HELLO = `${ROOT}examples/hello/config.yml`;

Deno.test("otai --help and --version exit 0", async () => {
  const help = await runCli(["--help"]);
  strictEqual(help.code, 0);
  match(help.stdout, /Usage:\n\s+otai \[run\] <config.yml>/);
  const version = await runCli(["--version"]);
  strictEqual(version.code, 0);
  match(version.stdout, /^otai \d+\.\d+\.\d+ \(plugin API 1\.1\.0\)/);
});

Deno.test("otai reports usage errors with exit code 2", async () => {
  for (const args of [[], ["a.yml", "b.yml"], ["--log-level", "loud", HELLO], ["--nope", HELLO]]) {
    const r = await runCli(args);
    strictEqual(r.code, 2, args.join(" "));
    match(r.stderr, /otai: .*\nRun "otai --help" for usage/);
  }
});

Deno.test("otai run runs the hello example from any directory and prints a summary", async () => {
  const r = await runCli(["run", HELLO], { cwd: "/" });
  strictEqual(r.code, 0, r.stderr);
  match(r.stdout, /^runner\s+step\s+status\s+duration\s+detail/);
  match(r.stdout, /each\s+succeeded\s+\S+\s+3 succeeded, 0 failed, 0 skipped/);
  match(r.stderr, /otai·plugin·hello: Greeted "Ada"/);
});

Deno.test("otai --json prints the results document; --log-format json logs JSON lines", async () => {
  const r = await runCli([HELLO, "--json", "--log-format", "json", "--log-level", "info"]);
  strictEqual(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  strictEqual(doc.status, "succeeded");
  deepStrictEqual(doc.runners[0].steps.map((s: { id: string }) => s.id), ["names", "each"]);
  deepStrictEqual(doc.runners[0].steps[0].data, { items: ["Ada", "Grace", "Linus"] });
  const records = r.stderr.trim().split("\n").map((l) => JSON.parse(l));
  ok(records.some((x) => x.logger === "otai.plugin.hello"), r.stderr);
});

Deno.test("otai check reports every planted error with line and column, exit 2, no stack", async () => {
  await using cfg = await tempConfig(`otai: "^1.0"
plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
    enabeld: true
  - from: ${fixture("future_api.ts")}
services:
  - { id: s, use: "probe:Nope" }
orchestrator:
  runners:
    - id: main
      run:
        - { id: a, use: "probe:Ech" }
        - { id: b, use: "probe:Echo", if: "steps.a.status ==" }
        - { id: c, use: "probe:Echo", params: { x: "\${UNSET_OTAI_VAR}" } }
        - { id: d, use: "probe:Validated", params: { count: -1, label: x } }
`);
  const r = await runCli(["check", cfg.file]);
  strictEqual(r.code, 2);
  const planted: [number, RegExp][] = [
    [5, /unknown key "enabeld"; did you mean "enabled"\?/],
    [6, /supports otai plugin API "\^2\.0"/],
    [8, /nothing is registered as "probe:Nope"/],
    [13, /did you mean "probe:Echo"\?/],
    [14, /invalid expression "steps\.a\.status =="/],
    [15, /environment variable "UNSET_OTAI_VAR" is not set/],
    [16, /invalid param for probe:Validated/],
  ];
  for (const [line, re] of planted) {
    ok(
      r.stderr.split("\n").some((l) => l.startsWith(`${cfg.file}:${line}:`) && re.test(l)),
      `line ${line} ${re}:\n${r.stderr}`,
    );
  }
  match(r.stderr, /7 problems found in .*; nothing was run/);
  ok(!/^\s+at /m.test(r.stderr), "no stack trace");
});

Deno.test("otai check lists plugins with effective permissions; secrets are redacted", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: ["./data"], env: ["OTAI_TOKEN"], net: ["127.0.0.1:9"], run: true }
  - from: ${fixture("store.ts")}
services:
  - { id: kv, use: "store:Kv", params: { prefix: "\${OTAI_TOKEN}" } }
orchestrator:
  runners:
    - id: main
      on: { interval: 30s }
      run:
        - { id: a, use: "probe:Call", injects: { kv: kv }, params: { service: kv, method: get, args: [x] } }
        - { id: b, use: "probe:Check", params: { value: "\${OTAI_TOKEN}", fail_on: ["\${OTAI_TOKEN}"] } }
`);
  const env = { OTAI_TOKEN: "tok-4f9a-very-secret" };
  const check = await runCli(["check", cfg.file], { env });
  strictEqual(check.code, 0, check.stderr);
  match(
    check.stdout,
    new RegExp(`permissions: net: 127\\.0\\.0\\.1:9; read: ${cfg.dir}/data; env: OTAI_TOKEN`),
  );
  match(check.stdout, /main \(every 30\.00s\): a -> b/);
  const json = await runCli(["check", cfg.file, "--json"], { env });
  strictEqual(JSON.parse(json.stdout).plugins[0].permissions.run, false);

  await using once = await tempConfig(
    (await Deno.readTextFile(cfg.file)).replace("      on: { interval: 30s }\n", ""),
  );
  const run = await runCli(["run", once.file, "--json", "--log-level", "debug"], { env });
  strictEqual(run.code, 1, run.stderr);
  const doc = JSON.parse(run.stdout);
  strictEqual(doc.runners[0].steps[0].data.value, "***");
  match(doc.runners[0].steps[1].error, /bad value \*\*\*/);
  for (const out of [check.stdout, json.stdout, run.stdout, run.stderr]) {
    ok(!out.includes(env.OTAI_TOKEN), out);
  }
});

Deno.test("otai runs as a remote main module does: no deno.json, no worker flag", async (t) => {
  await t.step("--no-config --import-map=deno.json mod.ts", async () => {
    const r = await runCli([HELLO], { flags: ["-A", "--no-config", "--import-map=deno.json"] });
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, /3 succeeded, 0 failed/);
  });
  await t.step("mod.ts served over HTTP from 127.0.0.1", async () => {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      try {
        const body = await Deno.readFile(ROOT + path.slice(1));
        const type = path.endsWith(".json") ? "application/json" : "application/typescript";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    try {
      const base = `http://127.0.0.1:${server.addr.port}/`;
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--no-config", `--import-map=${base}deno.json`, `${base}mod.ts`, HELLO],
        cwd: "/",
        env: { NO_COLOR: "1" },
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
      match(stdout, /3 succeeded, 0 failed/);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("otai check exits 2 when a service cannot be created, naming it and why", async () => {
  await using cfg = await tempConfig(
    `plugins:
  - from: ${fixture("store.ts")}
services:
  - { id: kv, use: "store:Kv", params: { fail: true } }
orchestrator:
  runners: [{ id: main, run: { id: a, use: "store:Kv" } }]
`.replace('use: "store:Kv" } }]', 'use: "probe:Echo" } }]').replace(
      "plugins:\n",
      `plugins:\n  - from: ${
        fixture("probe.ts")
      }\n    permissions: { read: true, env: true, net: true }\n`,
    ),
  );
  const r = await runCli(["check", cfg.file]);
  strictEqual(r.code, 2, r.stdout + r.stderr);
  match(r.stdout, /1 service\(s\) could not be created/);
  match(r.stdout, /kv: store:Kv: FAILED: .*the store is unavailable/);
});

Deno.test("otai runs as a published JSR package: deno run -A jsr:@otai/cli config.yml", async () => {
  // Every workspace package as `deno publish` would upload it.
  const packages = await workspacePackages(new URL(`file://${ROOT}`));
  await using registry = await serveJsrRegistry(packages);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "jsr:@otai/cli@^0.1", HELLO],
    cwd: "/",
    env: { JSR_URL: registry.url, NO_COLOR: "1" },
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
  match(stdout, /each\s+succeeded\s+\S+\s+3 succeeded, 0 failed, 0 skipped/);
});

Deno.test("otai run shows an import with skipped rows as succeeded with warnings, row by row", async () => {
  const csv = 'id,subject\nT-1,ok\nT-2,"never closed\nT-3,fine\nT-1,again\n';
  await using cfg = await tempConfig(
    `plugins:
  - from: jsr:@otai/sqlite-tickets@^1.0
    permissions: { read: ["."], write: ["."] }
services:
  - { id: tickets, use: "sqlite-tickets:Tickets", params: { path: ./t.db } }
orchestrator:
  runners:
    - id: load
      run: { id: seed, use: "sqlite-tickets:Import", injects: { tickets: tickets }, params: { path: ./in.csv } }
`,
    { "in.csv": csv },
  );
  const r = await runCli(["run", cfg.file]);
  strictEqual(r.code, 0, r.stderr);
  match(r.stdout, /seed +succeeded with warnings/);
  match(r.stdout, /1 runner\(s\) succeeded \(1 with warnings\), 0 failed/);
  match(
    r.stdout,
    /warnings of load\.seed:\n {2}\S*in\.csv line 3: the quoted field is never closed/,
  );
  match(r.stdout, /in\.csv line 5: id "T-1" repeats line 2/);
});

Deno.test("a step that uses a disabled plugin says the plugin is disabled, with its line", async () => {
  for (const as of ["\n    as: probe", ""]) {
    await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}${as}
    enabled: false
orchestrator:
  runners: [{ id: main, run: { id: a, use: "probe:Echo" } }]
`);
    const r = await runCli(["check", cfg.file]);
    strictEqual(r.code, 2, r.stderr);
    match(
      r.stderr,
      /"probe" is not registered: plugins\[0\] \(.*probe\.ts\) is disabled \(enabled: false at .*config\.yml:\d+\); enable it, or remove the steps that use it/,
    );
  }
});
