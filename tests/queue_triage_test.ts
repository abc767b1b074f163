/**
 * The triage main job in queue mode, against a real `redis-server`: its per-ticket `for_each`
 * distributed over three `otai worker`s that share the SQLite store, with a worker SIGKILLed
 * mid-run, and with Redis stalled mid-run. Skipped, saying so, without `redis-server`.
 */
import { ok, strictEqual } from "node:assert/strict";
import { otaiRun, type Redis, redisServer, startRedis, startWorker } from "./_redis.ts";
import { copyExample, counts, slowedDown, TICKETS } from "./_triage.ts";

const REDIS = redisServer("queue triage tests");

/** The slowed-down triage with its `route` for_each distributed on the queue at `url`. */
function distributed(url: string): (config: string) => string {
  return (config) => {
    const edited = slowedDown(config)
      .replace("plugins:\n", `queue: { url: "${url}" }\n\nplugins:\n`)
      .replace(
        "          concurrency: 8\n",
        "          concurrency: 8\n          distribute: true\n",
      );
    if (!edited.includes("distribute: true")) throw new Error("the example's route moved");
    return edited;
  };
}

/**
 * Runs the distributed triage with three workers; `fault` is called once `marked` tickets
 * are triaged (waited for, bounded), while the run goes on.
 */
async function triageWithFault(
  redis: Redis,
  marked: number,
  fault: (workers: Awaited<ReturnType<typeof startWorker>>[]) => Promise<void>,
) {
  await using ex = await copyExample(distributed(redis.url));
  const db = `${ex.dir}/data/tickets.db`;
  const workers = await Promise.all([1, 2, 3].map(() => startWorker(ex.file)));
  try {
    let ended = false;
    const run = otaiRun(ex.file).finally(() => (ended = true));
    let seen = 0;
    for (const until = Date.now() + 120_000; seen < marked && !ended && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        seen = counts(db).marked;
      } catch { /* the store is not created yet */ }
    }
    ok(seen >= marked && seen < TICKETS, `the fault comes mid-run (${seen} tickets marked)`);
    await fault(workers);
    const r = await run;
    return { run: r, counts: counts(db) };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** The run succeeded with every ticket once: one mark, one note, 240 items succeeded. */
function assertEveryTicketOnce(result: Awaited<ReturnType<typeof triageWithFault>>): void {
  const { run, counts: c } = result;
  strictEqual(run.code, 0, run.stderr);
  strictEqual(run.doc.status, "succeeded");
  const route = run.doc.runners[0].steps.find((s: { id: string }) => s.id === "route");
  strictEqual(route.status, "succeeded", JSON.stringify(route.data?.failures));
  strictEqual(route.data.succeeded, TICKETS);
  strictEqual(route.data.failed, 0);
  // A job retried after its ticket was updated finds the mark and changes nothing: the
  // collected list counts what this run applied, never a ticket twice.
  ok(route.data.collected.length <= TICKETS);
  strictEqual(c.marked, TICKETS);
  strictEqual(c.notes, TICKETS);
  ok(c.perTicket.length === TICKETS && c.perTicket.every((n) => n === 1), "one note each");
}

Deno.test({
  name: "otai worker: the triage survives a worker SIGKILLed mid-run, every ticket once",
  ignore: !REDIS,
}, async () => {
  await using redis = await startRedis(REDIS!);
  assertEveryTicketOnce(
    await triageWithFault(redis, 30, async (workers) => {
      workers[0]!.kill();
      await workers[0]!.stop();
    }),
  );
});

Deno.test({
  name: "otai worker: the triage survives Redis stalled mid-run, every ticket counted once",
  ignore: !REDIS,
}, async () => {
  await using redis = await startRedis(REDIS!);
  assertEveryTicketOnce(
    await triageWithFault(redis, 30, async () => {
      // A network stall longer than a job lock (5 s): connections stay open, nothing answers.
      redis.pause();
      await new Promise((r) => setTimeout(r, 6000));
      redis.resume();
    }),
  );
});
