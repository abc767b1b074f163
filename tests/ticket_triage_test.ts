import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ROOT, runCli } from "./_helpers.ts";
import { copyExample, counts, slowedDown, TICKETS } from "./_triage.ts";

/** Starts `otai run` on a config and waits until at least `marked` tickets are triaged. */
async function startAndWait(
  file: string,
  db: string,
  marked: number,
  output: "null" | "piped",
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}mod.ts`, "run", file],
    stdout: output,
    stderr: output,
    env: { NO_COLOR: "1" },
  }).spawn();
  // Until the run has got that far or has ended: on a busy machine that may take long, so the
  // bound (5 minutes) is only against a hang.
  let ended = false;
  child.status.then(() => (ended = true));
  for (let i = 0, seen = 0; i < 6000 && seen < marked && !ended; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      seen = counts(db).marked;
    } catch { /* not created yet */ }
  }
  return child;
}

Deno.test("the triage example routes every ticket once and prints a summary", async (t) => {
  await using ex = await copyExample();
  const first = await runCli(["run", ex.file], { cwd: "/" });
  await t.step("first run: seeds, trains, triages all tickets", () => {
    strictEqual(first.code, 0, first.stderr);
    match(first.stdout, /Triage summary\n {4}new tickets seeded: +240\n {4}tickets triaged: +240/);
    match(first.stdout, /routed per queue: +(\w[\w ]+=\d+, ){5}\w[\w ]+=\d+/);
    match(first.stdout, /sent to review: +\d+\n {4}failed: +0/);
  });
  await t.step("every ticket carries one mark and one note, queues match the truth", () => {
    const c = counts(`${ex.dir}/data/tickets.db`);
    strictEqual(c.marked, TICKETS);
    strictEqual(c.notes, TICKETS);
    ok(c.perTicket.every((n) => n === 1));
    const truth = new Map(
      Deno.readTextFileSync(`${ex.dir}/samples/incoming_truth.csv`).trim().split("\n").slice(1)
        .map((l) => l.split(",") as [string, string]),
    );
    const sql = new DatabaseSync(`${ex.dir}/data/tickets.db`, { readOnly: true });
    const rows = sql.prepare("SELECT id, queue FROM tickets").all() as {
      id: string;
      queue: string;
    }[];
    sql.close();
    const routed = rows.filter((r) => r.queue !== "Review");
    const right = routed.filter((r) => truth.get(r.id) === r.queue).length;
    ok(right / routed.length > 0.95, `${right}/${routed.length} routed tickets in the right queue`);
    ok(rows.some((r) => r.queue === "Review"), "uncertain tickets go to review");
  });
  await t.step("a second run finds nothing new and keeps the models", async () => {
    const again = await runCli(["run", ex.file, "--json"], { cwd: "/" });
    strictEqual(again.code, 0, again.stderr);
    const steps = JSON.parse(again.stdout).runners[0].steps;
    const byId = Object.fromEntries(steps.map((s: { id: string }) => [s.id, s]));
    strictEqual(byId.train_queue.status, "skipped");
    deepStrictEqual(byId.fetch.data.count, 0);
    strictEqual(counts(`${ex.dir}/data/tickets.db`).notes, TICKETS);
  });
});

Deno.test("killing otai run mid-way and starting again processes every ticket exactly once", async () => {
  // A slow step before each update makes the run long enough to be killed part-way.
  await using ex = await copyExample(slowedDown);
  const db = `${ex.dir}/data/tickets.db`;
  const child = await startAndWait(ex.file, db, 30, "null");
  child.kill("SIGKILL");
  await child.status;
  // otai may have re-run itself as a child process (to enable sandboxes): it must stop with
  // its parent. Wait until nothing changes any more.
  let partial = counts(db);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = counts(db);
    if (now.marked === partial.marked) break;
    partial = now;
  }
  ok(partial.marked >= 30 && partial.marked < TICKETS, `killed after ${partial.marked} tickets`);
  strictEqual(partial.notes, partial.marked, "a ticket is either fully triaged or untouched");

  const resumed = await runCli(["run", ex.file, "--json"], { cwd: "/" });
  strictEqual(resumed.code, 0, resumed.stderr);
  const fetch = JSON.parse(resumed.stdout).runners[0].steps.find((s: { id: string }) =>
    s.id === "fetch"
  );
  strictEqual(fetch.data.count, TICKETS - partial.marked, "the restart picks up only the rest");
  const done = counts(db);
  strictEqual(done.marked, TICKETS);
  strictEqual(done.notes, TICKETS);
  ok(done.perTicket.every((n) => n === 1), "no ticket was processed twice");
});

Deno.test("SIGTERM during the triage finishes the tickets in flight and stops cleanly", async () => {
  await using ex = await copyExample(slowedDown);
  const db = `${ex.dir}/data/tickets.db`;
  const child = await startAndWait(ex.file, db, 20, "piped");
  child.kill("SIGTERM");
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  strictEqual(out.code, 0, `a stop on request, with nothing half-done, exits 0: ${stderr}`);
  match(stderr, /stopping after the current work/);
  match(stdout, /triage +stopped/);
  match(stdout, /route +failed .*stopped before \d+ of 240 items started/);
  match(stdout, /0 runner\(s\) succeeded, 0 failed, 1 stopped on request/);
  const c = counts(db);
  ok(c.marked > 0 && c.marked < TICKETS, `${c.marked} tickets done`);
  strictEqual(c.notes, c.marked, "every started ticket was finished, none half-done");
});

Deno.test("two otai runs on one store each count only the tickets they triaged", async () => {
  await using ex = await copyExample(slowedDown);
  const db = `${ex.dir}/data/tickets.db`;
  // The second starts once the first has fetched every ticket and triaged some: both then
  // work on the same unmarked tickets, and the store lets only one of them mark each.
  const first = await startAndWait(ex.file, db, 20, "piped");
  const second = await startAndWait(ex.file, db, 0, "piped");
  const outs = await Promise.all([first.output(), second.output()]);
  const triaged = outs.map((out) => {
    const stdout = new TextDecoder().decode(out.stdout);
    strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
    const m = /tickets triaged: +(\d+)\n {4}routed per queue: .*\n {4}sent to review: +(\d+)/
      .exec(stdout);
    ok(m, stdout);
    const routed = [...stdout.matchAll(/=(\d+)/g)].reduce((n, r) => n + Number(r[1]), 0);
    strictEqual(routed + Number(m[2]), Number(m[1]), `routed + review = triaged: ${stdout}`);
    return Number(m[1]);
  });
  ok(triaged[1]! > 0 || triaged[0]! === TICKETS, `${triaged}`);
  strictEqual(triaged[0]! + triaged[1]!, TICKETS, `each counted its own: ${triaged}`);
  const c = counts(db);
  strictEqual(c.marked, TICKETS);
  ok(c.perTicket.length === TICKETS && c.perTicket.every((n) => n === 1), "one note each");
});
