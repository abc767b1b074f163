/**
 * Queue mode against a real `redis-server` (started here on a free loopback port, stopped at
 * the end): workers share a distributed `for_each`, a killed worker's jobs move on, an
 * unreachable Redis and a worker with other plugin code are refused. Skipped, saying so, when
 * `redis-server` is not on the PATH (CI installs it).
 */
import { deepStrictEqual, doesNotMatch, match, ok, strictEqual } from "node:assert/strict";
import { fixture, ROOT, runCli, tempConfig } from "./_helpers.ts";
import {
  assertEachOnce,
  config,
  freePort,
  otaiRun,
  redisServer,
  startRedis,
  startWorker,
} from "./_redis.ts";

const REDIS = redisServer("queue tests");

Deno.test({
  name: "otai worker and otai run share a distributed for_each through Redis",
  ignore: !REDIS,
}, async (t) => {
  await using redis = await startRedis(REDIS!);
  await t.step("three workers run every item exactly once", async () => {
    await using cfg = await tempConfig(config(redis.url, "share", 60));
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(cfg.file)));
    try {
      const run = await otaiRun(cfg.file);
      const step = assertEachOnce(run, 60);
      strictEqual(step.status, "succeeded");
      const pids = new Set(step.data.collected.map((c) => c.pid));
      ok(pids.size > 1, `more than one worker ran items (sandbox pids: ${[...pids]})`);
      const status = await runCli(["queue", "status", cfg.file, "--json"]);
      strictEqual(status.code, 0, status.stderr);
      const [q] = JSON.parse(status.stdout);
      deepStrictEqual([q.queue, q.waiting, q.active, q.completed, q.failed], [
        "otai:share.each",
        0,
        0,
        60,
        0,
      ]);
      strictEqual(q.workers.length, 3);
      for (const w of q.workers) match(w, /^[^/]+\/\d+\/[0-9a-f]{8}$/);
    } finally {
      for (const code of await Promise.all(workers.map((w) => w.stop()))) strictEqual(code, 0);
    }
  });

  await t.step("a worker killed mid-run leaves its jobs to another", async () => {
    await using cfg = await tempConfig(config(redis.url, "kill", 24, 300, ", stall_timeout: 2s"));
    const doomed = await startWorker(cfg.file);
    const survivor = await startWorker(cfg.file);
    try {
      await survivor.waitFor(/a job stalls after 2 s/);
      const run = otaiRun(cfg.file);
      await doomed.waitFor(/Ran job/);
      doomed.kill();
      const r = await run;
      assertEachOnce(r, 24);
    } finally {
      await Promise.all([doomed.stop(), survivor.stop()]);
    }
  });

  await t.step("otai run --work takes the jobs itself", async () => {
    await using cfg = await tempConfig(config(redis.url, "self", 8));
    const run = await otaiRun(cfg.file, {}, ["--work", "--concurrency", "4"]);
    assertEachOnce(run, 8);
  });

  await t.step("a worker whose plugin code differs refuses the jobs", async () => {
    const changed = (await Deno.readTextFile(fixture("whoami.ts")))
      .replace("../../../plugin.ts", `${ROOT}plugin.ts`) + "// changed\n";
    await using cfg = await tempConfig(config(redis.url, "mismatch", 2));
    await using other = await tempConfig(
      config(redis.url, "mismatch", 2).replace(fixture("whoami.ts"), "./whoami.ts"),
      { "whoami.ts": changed },
    );
    const w = await startWorker(other.file);
    try {
      const run = await otaiRun(cfg.file);
      strictEqual(run.code, 1, run.stderr);
      const step = run.doc.runners[0].steps[1];
      strictEqual(step.data.failed, 2);
      match(step.data.failures[0].error, /refused the job: plugin "whoami" differs/);
    } finally {
      await w.stop();
    }
  });
});

Deno.test({
  name: "otai run exits 2 when the queue's Redis cannot be reached, its password redacted",
  ignore: !REDIS,
}, async () => {
  const port = freePort();
  await using cfg = await tempConfig(config(`redis://:\${QUEUE_PW}@127.0.0.1:${port}`, "x", 1));
  const r = await otaiRun(cfg.file, { QUEUE_PW: "hunter2hunter2" });
  strictEqual(r.code, 2, r.stderr);
  match(
    r.stderr,
    new RegExp(`Cannot reach the queue's Redis at redis://:\\*\\*\\*@127.0.0.1:${port}`),
  );
  match(r.stderr, /check that redis-server runs there/);
  doesNotMatch(r.stderr + r.stdout, /hunter2/);
});
