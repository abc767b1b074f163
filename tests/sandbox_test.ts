import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { ConfigError, openConfig } from "../mod.ts";
import { fixture, runCli, stepOf, tempConfig } from "./_helpers.ts";

async function configError(text: string, files?: Record<string, string>): Promise<ConfigError> {
  await using cfg = await tempConfig(text, files);
  try {
    using app = await openConfig(cfg.file);
    void app;
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

Deno.test("openConfig() confines a plugin to request ∩ grant; denials fail the step only", async (t) => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("pong"),
  );
  const port = server.addr.port;
  await using cfg = await tempConfig(
    `plugins:
  - from: ${fixture("probe.ts")}
    permissions:
      read: ["./allowed.txt"]
      env: ["OTAI_TEST_GRANTED"]
      net: ["127.0.0.1:${port}"]
orchestrator:
  runners:
    - id: main
      run:
        - { id: allowed, use: "probe:ReadFile", params: { path: ./allowed.txt } }
        - { id: other_file, use: "probe:ReadFile", params: { path: ./secret.txt }, continue_on_error: true }
        - { id: granted_env, use: "probe:GetEnv", params: { name: OTAI_TEST_GRANTED } }
        - { id: other_env, use: "probe:GetEnv", params: { name: OTAI_TEST_HIDDEN }, continue_on_error: true }
        - { id: granted_net, use: "probe:Fetch", params: { url: "http://127.0.0.1:${port}/" } }
        - { id: other_net, use: "probe:Fetch", params: { url: "http://localhost:${port}/" }, continue_on_error: true }
        - { id: after, use: "probe:Echo", params: { still: running } }
`,
    { "allowed.txt": "yes", "secret.txt": "no" },
  );
  Deno.env.set("OTAI_TEST_GRANTED", "visible");
  Deno.env.set("OTAI_TEST_HIDDEN", "hidden");
  try {
    // The sandbox process works in the config's directory: "./allowed.txt" is the one there.
    using app = await openConfig(cfg.file);
    const results = await app.run();
    await t.step("granted file, env and host work", () => {
      deepStrictEqual(stepOf(results, "allowed").data, { text: "yes" });
      deepStrictEqual(stepOf(results, "granted_env").data, { value: "visible" });
      deepStrictEqual(stepOf(results, "granted_net").data, { status: 200, body: "pong" });
    });
    for (const [id, kind] of [["other_file", "read"], ["other_env", "env"], ["other_net", "net"]]) {
      await t.step(`a ${kind} not granted fails the step with the grant to change`, () => {
        const s = stepOf(results, id!);
        strictEqual(s.status, "failed");
        match(s.error!, new RegExp(`plugin "probe" was denied ${kind} access`));
        match(s.error!, new RegExp(`plugins\\[0\\]\\.permissions\\.${kind} in .*config\\.yml:2`));
      });
    }
    await t.step("the run goes on after a denial", () => {
      deepStrictEqual(stepOf(results, "after").data, { still: "running" });
    });
  } finally {
    Deno.env.delete("OTAI_TEST_GRANTED");
    Deno.env.delete("OTAI_TEST_HIDDEN");
    await server.shutdown();
  }
});

Deno.test("openConfig() gives nothing that is not granted: no grant means no permission", async () => {
  const e = await configError(`plugins:
  - from: ${fixture("probe.ts")}
orchestrator:
  runners: [{ id: main, run: { id: a, use: "probe:Echo" } }]
`);
  strictEqual(e.diagnostics.length, 1);
  const m = e.diagnostics[0]!.message;
  match(m, /Cannot load plugin "probe": it requests net access, read access, env access/);
  match(m, /config\.yml:2 does not grant/);
  match(m, /permissions:\n\s+net: true\n\s+read: true\n\s+env: true/);
});

Deno.test("openConfig() refuses plugins with a wrong API range or manifest, naming what to do", async (t) => {
  const e = await configError(`plugins:
  - from: ${fixture("future_api.ts")}
  - from: ${fixture("no_default.ts")}
  - from: ${fixture("bad_manifest.ts")}
  - from: ${fixture("needs_net.ts")}
    permissions: { net: ["other.example.com"], env: ["API_TOKEN"] }
  - from: ./missing.ts
  - from: ${fixture("top_level_io.ts")}
    permissions: { read: true }
orchestrator:
  runners: [{ id: main, run: { id: a, use: "future:Go" } }]
`);
  const messages = e.diagnostics.map((d) => `${d.line}: ${d.message}`);
  await t.step("API range", () => {
    ok(
      messages.some((m) =>
        m.startsWith("2: ") && m.includes('supports otai plugin API "^2.0"') &&
        m.includes("implements API 1.1.0")
      ),
      messages.join("\n"),
    );
  });
  await t.step("missing default export", () => {
    ok(messages.some((m) => m.startsWith("3: ") && m.includes("no default export")));
  });
  await t.step("invalid manifest fields", () => {
    const m = messages.find((m) => m.startsWith("4: "))!;
    match(m, /"name" must be a kebab-case/);
    match(m, /"version" must be a semver/);
    match(m, /pipe without a run\(\) function/);
    match(m, /injectables\[1\] \("W"\)\.kind must be "pipe" or "service", got "widget"/);
  });
  await t.step("a requested host the grant does not cover", () => {
    match(messages.find((m) => m.startsWith("5: "))!, /requests net access to "api\.example\.com"/);
  });
  await t.step("a missing file", () => {
    match(messages.find((m) => m.startsWith("7: "))!, /no file at .*missing\.ts/);
  });
  await t.step("top-level code that needs permissions", () => {
    match(messages.find((m) => m.startsWith("8: "))!, /move work that needs permissions/);
  });
  await t.step("a step using a plugin that failed to load is not reported twice", () => {
    ok(!messages.some((m) => m.includes('nothing is registered as "future:Go"')));
  });
});

Deno.test("openConfig() runs services in their own sandbox, callable only when injected", async (t) => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("store.ts")}
services:
  - { id: kv, use: "store:Kv", params: { prefix: "v=" } }
  - { id: broken, use: "store:Kv", params: { fail: true } }
orchestrator:
  runners:
    - id: main
      run:
        - { id: set, use: "probe:Call", injects: { kv: kv }, params: { service: kv, method: set, args: [a, 1] } }
        - { id: get, use: "probe:Call", injects: { kv: kv }, params: { service: kv, method: get, args: [a] } }
        - { id: denied, use: "probe:Call", injects: { kv: kv }, params: { service: kv, method: readSecret }, continue_on_error: true }
        - { id: uninjected, use: "probe:Call", params: { service: kv, method: get, args: [a] }, continue_on_error: true }
        - { id: broken, use: "probe:Call", injects: { kv: broken }, params: { service: kv, method: get, args: [a] }, continue_on_error: true }
`);
  using app = await openConfig(cfg.file);
  const results = await app.run();
  await t.step("calls cross sandboxes through the host", () => {
    deepStrictEqual(stepOf(results, "set").data, { value: 1 });
    deepStrictEqual(stepOf(results, "get").data, { value: "v=1" });
  });
  await t.step("the service runs under its own plugin's permissions (none)", () => {
    match(
      stepOf(results, "denied").error!,
      /service "kv" failed in readSecret\(\): plugin "store" was denied read access/,
    );
  });
  await t.step("a service not injected is not reachable", () => {
    match(stepOf(results, "uninjected").error!, /no service "kv" injected/);
  });
  await t.step("a failed service fails only the steps that inject it", () => {
    match(stepOf(results, "broken").error!, /could not be created: the store is unavailable/);
    strictEqual(results[0]!.status, "succeeded");
  });
});

Deno.test("Engine runs steps: if, skip, timeout, for_each, continue_on_error, params", async (t) => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
orchestrator:
  runners:
    - id: main
      params: { limit: 3 }
      run:
        - { id: list, use: "probe:Items", params: { n: "\${{ params.limit + 2 }}" } }
        - id: loop
          for_each: "\${{ steps.list.data.items }}"
          concurrency: 3
          continue_on_error: true
          steps:
            - { id: check, use: "probe:Check", params: { value: "\${{ item }}", fail_on: [1, 3], skip_on: [4] } }
            - id: seen
              use: "probe:Steps"
              if: 'steps.check.status == "succeeded" && steps.list.status == "succeeded"'
        - { id: text, use: "probe:Echo", params: { t: "n=\${{ size(steps.list.data.items) }} ok=\${{ true }}" } }
        - { id: cond_false, use: "probe:Echo", if: "steps.list.data.items[0] > 0.0" }
        - { id: slow, use: "probe:Sleep", params: { ms: 5000 }, timeout: 200ms, continue_on_error: true }
        - { id: thrown, use: "probe:ThrowString", continue_on_error: true }
        - { id: unclonable, use: "probe:ReturnFunction", continue_on_error: true }
        - { id: bad_params, use: "probe:Validated", params: { count: "\${{ 0 }}", label: x }, continue_on_error: true }
        - { id: last, use: "probe:Check", params: { value: 9, fail_on: [9] } }
        - { id: never, use: "probe:Echo" }
`);
  using app = await openConfig(cfg.file);
  const [result] = await app.run();
  await t.step("expressions yield typed values and interpolate text", () => {
    deepStrictEqual(stepOf([result!], "list").data, { items: [0, 1, 2, 3, 4] });
    deepStrictEqual(stepOf([result!], "text").data, { t: "n=5 ok=true" });
  });
  await t.step("for_each counts items and keeps failures", () => {
    const loop = stepOf([result!], "loop");
    strictEqual(loop.status, "failed");
    const data = loop.data as {
      succeeded: number;
      failed: number;
      skipped: number;
      failures: unknown[];
    };
    deepStrictEqual([data.succeeded, data.failed, data.skipped], [2, 2, 1]);
    deepStrictEqual(
      data.failures.map((f) => (f as { item: number }).item).sort(),
      [1, 3],
    );
    match(loop.error!, /2 of 5 items failed/);
  });
  await t.step(
    "if: false skips",
    () => strictEqual(stepOf([result!], "cond_false").status, "skipped"),
  );
  await t.step("timeout fails the step and aborts the signal", () => {
    const s = stepOf([result!], "slow");
    strictEqual(s.status, "failed");
    match(s.error!, /timed out after 200ms/);
    ok(s.duration_ms < 2000);
  });
  await t.step("a thrown non-Error is reported", () => {
    match(stepOf([result!], "thrown").error!, /non-Error value: a plain string/);
  });
  await t.step("a value that cannot cross the boundary is refused", () => {
    match(
      stepOf([result!], "unclonable").error!,
      /the pipe returned a value whose data.f is a function, which cannot cross the sandbox boundary/,
    );
  });
  await t.step("params are validated with the pipe's schema, pointing at the config", () => {
    match(stepOf([result!], "bad_params").error!, /invalid params: count: .*config\.yml:\d+/);
  });
  await t.step("the runner stops at its first failed step", () => {
    strictEqual(result!.status, "failed");
    strictEqual(result!.steps.at(-1)!.id, "last");
  });
});

Deno.test("openConfig() reports registry problems with line and column", async () => {
  const e = await configError(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
services:
  - { id: s, use: "probe:Echo" }
orchestrator:
  runners:
    - id: main
      run:
        - { id: a, use: "probe:Ecko" }
        - { id: b, use: "probe:Validated", params: { count: 0, label: 5 } }
`);
  const lines = e.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
  ok(
    lines.some((l) => /^4:.* prefix "probe" is already used by plugins\[0\]/.test(l)),
    lines.join("\n"),
  );
  ok(lines.some((l) => /^7:.* "probe:Echo" is a pipe, not a service/.test(l)), lines.join("\n"));
  ok(lines.some((l) => /^12:.* did you mean "probe:Echo"\?/.test(l)), lines.join("\n"));
  ok(lines.some((l) => /^13:\d+ invalid param for probe:Validated/.test(l)), lines.join("\n"));
});

Deno.test("isolation: none runs a trusted plugin in the host, said plainly by otai check", async (t) => {
  const entry = (extra: string) =>
    `plugins:
  - from: ${fixture("probe.ts")}
    isolation: none
${extra}    permissions: { read: true, env: true, net: ["127.0.0.1:9"] }
orchestrator:
  runners: [{ id: main, run: { id: a, use: "probe:Echo", params: { x: 1 } } }]
`;
  await t.step("trusted: runs, and check says it is unconfined", async () => {
    await using cfg = await tempConfig(entry("    trusted: true\n"));
    using app = await openConfig(cfg.file);
    const [r] = await app.run();
    deepStrictEqual(r!.steps[0]!.data, { x: 1 });
    const check = await runCli(["check", cfg.file]);
    strictEqual(check.code, 0, check.stderr);
    match(check.stdout, /isolation: none: UNCONFINED, runs in the host process/);
  });
  await t.step("not trusted: refused", async () => {
    const e = await configError(entry(""));
    match(e.message, /isolation: none runs the plugin unconfined in the host; add trusted: true/);
  });
  await t.step("beyond the host's own permissions: refused", async () => {
    await using cfg = await tempConfig(entry("    trusted: true\n"));
    const r = await runCli(["check", cfg.file], {
      flags: [
        "--allow-read",
        "--allow-env",
        "--allow-run",
        "--allow-write",
        "--allow-sys",
        "--unstable-worker-options",
      ],
    });
    strictEqual(r.code, 2, r.stderr);
    match(
      r.stderr,
      /it would get net access to "127\.0\.0\.1:9", which this otai process itself does not have/,
    );
  });
});

Deno.test("Engine passes large result fields on between sandboxes as JSON text, intact", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("probe.ts")}
    as: other
    isolation: process
    permissions: { read: true, env: true, net: true }
orchestrator:
  runners:
    - id: main
      run:
        - { id: list, use: "probe:Items", params: { n: 500 } }
        - { id: echo, use: "other:Echo", params: { items: "\${{ steps.list.data.items }}", n: "\${{ size(steps.list.data.items) }}" } }
        - { id: again, use: "probe:Echo", params: { nested: { items: "\${{ steps.echo.data.items }}" } } }
        - id: each
          for_each: "\${{ steps.echo.data.items }}"
          concurrency: 50
          steps: [{ id: check, use: "probe:Check", params: { value: "\${{ item }}" } }]
`);
  using app = await openConfig(cfg.file);
  const [r] = await app.run();
  const items = Array.from({ length: 500 }, (_, i) => i);
  deepStrictEqual(stepOf([r!], "echo").data, { items, n: 500 });
  deepStrictEqual(stepOf([r!], "again").data, { nested: { items } });
  deepStrictEqual((stepOf([r!], "each").data as { succeeded: number }).succeeded, 500);
  deepStrictEqual(JSON.parse(JSON.stringify(r)).steps[0].data.items.length, 500);
});

Deno.test("an error from plugin code names its file and line and its causes, in every mode", async (t) => {
  for (const isolation of ["process", "worker", "none"] as const) {
    await t.step(isolation, async () => {
      await using cfg = await tempConfig(`plugins:
  - from: ${fixture("boom.ts")}
    permissions: { net: ["127.0.0.1"] }
    isolation: ${isolation}${isolation === "none" ? "\n    trusted: true" : ""}
orchestrator:
  runners:
    - id: main
      run:
        - { id: boom, use: "boom:Boom", continue_on_error: true }
        - { id: caused, use: "boom:Caused" }
`);
      const r = await runCli(["run", cfg.file, "--json"]);
      strictEqual(r.code, 1, r.stderr);
      const steps = JSON.parse(r.stdout).runners[0].steps;
      match(
        steps[0].error,
        /^Cannot read properties of undefined \(reading 'y'\) \(at boom\.ts:2\)$/,
      );
      match(
        steps[1].error,
        /^sync failed \(at boom\.ts:14\); caused by TypeError: connection refused$/,
      );
    });
  }
});

Deno.test("a step's env holds what its plugin's env grant names, PREFIX_* patterns included", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${fixture("probe.ts")}
    permissions: { env: ["OTAI_SCOPE_*"], read: true, net: true }
orchestrator:
  runners:
    - id: main
      run:
        - id: show
          use: probe:Echo
          params:
            a: "\${{ env.OTAI_SCOPE_A }}"
            others: "\${{ env.filter(k, !k.startsWith('OTAI_SCOPE_')) }}"
`);
  Deno.env.set("OTAI_SCOPE_A", "granted");
  Deno.env.set("OTAI_NOT_SCOPE", "hidden");
  try {
    using app = await openConfig(cfg.file);
    const results = await app.run();
    deepStrictEqual(stepOf(results, "show").data, { a: "granted", others: [] });
  } finally {
    Deno.env.delete("OTAI_SCOPE_A");
    Deno.env.delete("OTAI_NOT_SCOPE");
  }
});
