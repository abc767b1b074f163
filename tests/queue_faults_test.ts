/**
 * Queue mode's faults against a real `redis-server` (each test its own, on a free loopback
 * port): a Redis restarted empty, a worker stopped past `stop_grace`, `attempts`,
 * `idle_timeout`. Skipped, saying so, when `redis-server` is not on the PATH (CI installs it).
 */
import { match, strictEqual } from "node:assert/strict";
import { tempConfig } from "./_helpers.ts";
import { assertEachOnce, config, otaiRun, redisServer, startRedis, startWorker } from "./_redis.ts";

const REDIS = redisServer("queue fault tests");

Deno.test({
  name: "otai run queues again the jobs of a Redis restarted empty mid-run, each item once",
  ignore: !REDIS,
}, async () => {
  await using redis = await startRedis(REDIS!);
  await using cfg = await tempConfig(config(redis.url, "restart", 30, 200));
  const workers = await Promise.all([1, 2].map(() => startWorker(cfg.file)));
  try {
    const run = otaiRun(cfg.file);
    await workers[0]!.waitFor(/Ran job/);
    await redis.restart();
    const r = await run;
    assertEachOnce(r, 30);
    match(r.stderr, /Redis no longer had \d+ jobs of queue "restart\.each" .*queued them again/);
  } finally {
    for (const code of await Promise.all(workers.map((w) => w.stop()))) strictEqual(code, 0);
  }
});

Deno.test({
  name: "otai worker stopped past stop_grace: its jobs go to another worker, or fail at attempts",
  ignore: !REDIS,
}, async (t) => {
  await using redis = await startRedis(REDIS!);
  const graceful = (text: string) => `defaults: { stop_grace: 200ms }\n${text}`;

  await t.step("with tries left, another worker runs them", async () => {
    const text = graceful(config(redis.url, "handover", 4, 1500, ", retry_delay: 100ms"));
    await using cfg = await tempConfig(text);
    const stopped = await startWorker(cfg.file);
    const run = otaiRun(cfg.file);
    await stopped.waitFor(/Taking job/).catch(async (e) => {
      await Promise.all([stopped.stop(), run]);
      throw e;
    });
    const other = await startWorker(cfg.file);
    try {
      strictEqual(await stopped.stop(), 143);
      assertEachOnce(await run, 4);
    } finally {
      strictEqual(await other.stop(), 0);
    }
  });

  await t.step("attempts: 1, the items it held fail with the worker's error", async () => {
    await using cfg = await tempConfig(
      graceful(config(redis.url, "once", 2, 5000, ", attempts: 1")),
    );
    const w = await startWorker(cfg.file);
    const run = otaiRun(cfg.file);
    await w.waitFor(/Taking job .*item 0/);
    await w.waitFor(/Taking job .*item 1/);
    strictEqual(await w.stop(), 143);
    const r = await run;
    strictEqual(r.code, 1, r.stderr);
    const step = r.doc.runners[0].steps[1];
    strictEqual(step.data.failed, 2);
    for (const f of step.data.failures) {
      match(f.error, /^worker [^ ]+ was stopped before the item finished$/);
    }
  });
});

Deno.test({
  name: "queue.idle_timeout: with no worker, the items fail once it passes, naming it",
  ignore: !REDIS,
}, async () => {
  await using redis = await startRedis(REDIS!);
  await using cfg = await tempConfig(config(redis.url, "alone", 2, 50, ", idle_timeout: 1s"));
  const r = await otaiRun(cfg.file);
  strictEqual(r.code, 1, r.stderr);
  const step = r.doc.runners[0].steps[1];
  strictEqual(step.data.failed, 2);
  match(step.data.failures[0].error, /no job of queue "alone\.each" was taken or finished for 1 s/);
});
