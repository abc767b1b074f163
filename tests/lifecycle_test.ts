/**
 * A manifest's `setup()`: run in each sandbox under the plugin's permissions before anything
 * else; when it throws, `otai run` and `otai check` stop with exit code 2 before any step. The
 * commercial-plugin example (examples/licensed) checks a license key this way.
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { ROOT, runCli, tempConfig } from "./_helpers.ts";

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
