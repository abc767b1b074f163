import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { runCli, tempConfig } from "./_helpers.ts";

/** A plugin whose module, once evaluated, leaves a file beside itself (it runs in otai's process). */
const EAGER = `Deno.writeTextFileSync(new URL("./evaluated.txt", import.meta.url), "yes");
export default {
  name: "eager",
  version: "1.0.0",
  api: "^1.0",
  injectables: [{ kind: "pipe", name: "Go", run: () => ({}) }],
};
`;

const LOCK = JSON.stringify({
  version: 1,
  plugins: {
    "jsr:@acme/greeter@^1.0": {
      resolved: "jsr:@acme/greeter@1.2.3",
      version: "1.2.3",
      integrity: "sha256-abc",
    },
  },
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("otai run --safe and check --safe load no plugin code and list what they would load", async (t) => {
  await using cfg = await tempConfig(
    `plugins:
  - from: ./eager.ts
    isolation: none
    trusted: true
  - from: jsr:@acme/greeter@^1.0
    as: greeter
    permissions: { net: ["api.example.com"], env: ["ACME_TOKEN"] }
  - from: https://example.com/p/mod.ts
    enabled: false
services:
  - { id: g, use: "greeter:Greeter", params: { token: "\${SAFE_TOKEN}" } }
orchestrator:
  runners:
    - id: main
      run: [{ id: go, use: "eager:Go" }, { id: hi, use: "greeter:Hi", injects: { g: g } }]
`,
    { "eager.ts": EAGER, "otai.lock": LOCK },
  );
  const marker = `${cfg.dir}/evaluated.txt`;
  const env = { SAFE_TOKEN: "tok-secret-123" };
  await t.step("run --safe: the listing, exit 0, the module never evaluated", async () => {
    const r = await runCli(["run", "--safe", cfg.file], { env });
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, /no plugin code was loaded/);
    match(r.stdout, /plugins\[0\] \(prefix: its manifest name\) {2}file:\/\/.*\/eager\.ts/);
    match(r.stdout, /isolation: none \(trusted/);
    match(
      r.stdout,
      /plugins\[1\] greeter {2}jsr:@acme\/greeter@\^1\.0\n {4}isolation: process\n {4}granted: net: api\.example\.com; env: ACME_TOKEN\n {4}lock: locked in .*otai\.lock: jsr:@acme\/greeter@1\.2\.3 sha256-abc/,
    );
    match(
      r.stdout,
      /https:\/\/example\.com\/p\/mod\.ts {2}\(disabled[^\n]*\n[^\n]*\n[^\n]*\n {4}lock: not in .*otai\.lock/,
    );
    match(r.stdout, /main: go -> hi\nnothing was run/);
    strictEqual(await exists(marker), false);
  });
  await t.step("check --safe --json: the same as data, secrets redacted", async () => {
    const r = await runCli(["check", "--safe", "--json", cfg.file], { env });
    strictEqual(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    strictEqual(doc.safe, true);
    deepStrictEqual(
      doc.plugins.map((
        p: { prefix: string | null; lock: { status: string } },
      ) => [p.prefix, p.lock.status]),
      [
        [null, "local"],
        ["greeter", "locked"],
        [null, "not-locked"],
      ],
    );
    deepStrictEqual(doc.services, [{ id: "g", use: "greeter:Greeter" }]);
    ok(!r.stdout.includes("tok-secret-123"));
    strictEqual(await exists(marker), false);
  });
  await t.step("without --safe, the same plugin is evaluated (the marker works)", async () => {
    await Deno.writeTextFile(
      cfg.file,
      `plugins:
  - { from: ./eager.ts, isolation: none, trusted: true }
orchestrator:
  runners: [{ id: main, run: { id: go, use: "eager:Go" } }]
`,
    );
    const r = await runCli(["check", cfg.file]);
    strictEqual(r.code, 0, r.stderr);
    strictEqual(await exists(marker), true);
  });
  await t.step("a config problem still exits 2, with its line", async () => {
    await Deno.writeTextFile(cfg.file, "plugins:\n  - from: ./eager.ts\n    permisions: {}\n");
    await Deno.remove(marker);
    const r = await runCli(["run", "--safe", cfg.file]);
    strictEqual(r.code, 2);
    match(r.stderr, /config\.yml:3:5: .*did you mean "permissions"/);
    strictEqual(await exists(marker), false);
  });
});
