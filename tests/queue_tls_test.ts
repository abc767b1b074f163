/**
 * Queue mode over TLS with a password, against a real `redis-server` that speaks only TLS (the
 * test certificate of tests/fixtures/tls/, for localhost and 127.0.0.1) and requires a password
 * given through `${VAR}`: a worker and the scheduler trusting its CA through `DENO_CERT`, and
 * what `otai run` says when the CA is not trusted, the password is wrong or the URL is not
 * `rediss://`. Skipped, saying so, when `redis-server` is not on the PATH (CI installs it).
 */
import { doesNotMatch, match, strictEqual } from "node:assert/strict";
import { tempConfig } from "./_helpers.ts";
import { assertEachOnce, config, otaiRun, redisServer, startRedis, startWorker } from "./_redis.ts";

const REDIS = redisServer("queue TLS tests");
const PASSWORD = "tls-pa55word-4242";
const CA = new URL("fixtures/tls/ca.pem", import.meta.url).pathname;

Deno.test({
  name: "queue mode over rediss:// with a password: the CA from DENO_CERT, refusals explained",
  ignore: !REDIS,
}, async (t) => {
  await using redis = await startRedis(REDIS!, { tls: true, password: PASSWORD });
  const port = new URL(redis.url).port;
  const url = (scheme: string, host: string) => `${scheme}://:\${QUEUE_PW}@${host}:${port}`;
  const trusted = { QUEUE_PW: PASSWORD, DENO_CERT: CA };

  for (const host of ["localhost", "127.0.0.1"]) {
    await t.step(`a worker and the scheduler share the items (host ${host})`, async () => {
      await using cfg = await tempConfig(
        config(url("rediss", host), host === "localhost" ? "tls_name" : "tls_ip", 6),
      );
      const worker = await startWorker(cfg.file, trusted);
      try {
        const r = await otaiRun(cfg.file, trusted);
        assertEachOnce(r, 6);
        doesNotMatch(r.stderr + r.stdout, new RegExp(PASSWORD));
      } finally {
        strictEqual(await worker.stop(), 0);
      }
    });
  }

  const refused = async (cfgUrl: string, env: Record<string, string>, why: RegExp) => {
    await using cfg = await tempConfig(config(cfgUrl, "refused", 1));
    const r = await otaiRun(cfg.file, env);
    strictEqual(r.code, 2, r.stderr);
    match(r.stderr, /Cannot reach the queue's Redis at rediss?:\/\/:\*\*\*@/);
    match(r.stderr, why);
    doesNotMatch(r.stderr + r.stdout, /tls-pa55word|wrong-pa55word/);
  };

  await t.step("without its CA: exit 2, pointing at DENO_CERT", async () => {
    await refused(url("rediss", "localhost"), { QUEUE_PW: PASSWORD }, /give its CA .*DENO_CERT/);
  });
  await t.step("a wrong password: exit 2, saying so", async () => {
    await refused(
      url("rediss", "localhost"),
      { ...trusted, QUEUE_PW: "wrong-pa55word" },
      /WRONGPASS/,
    );
  });
  await t.step("redis:// to a TLS port: exit 2, suggesting rediss://", async () => {
    await refused(
      url("redis", "localhost"),
      trusted,
      /use rediss:\/\/ for a server that expects TLS/,
    );
  });
});
