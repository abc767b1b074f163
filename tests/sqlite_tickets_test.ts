import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { RunnerResult } from "../mod.ts";
import { fixture, ROOT, runFromDir, stepOf, tempConfig } from "./_helpers.ts";

const PLUGIN = `${ROOT}plugins/sqlite_tickets/mod.ts`;
const CSV = new URL("./fixtures/sqlite_tickets/tickets.csv", import.meta.url);

/** A config in a temp dir with `data/tickets.csv`, run with the config's dir as cwd. */
async function runConfig(
  text: string,
): Promise<{ results: RunnerResult[]; dir: string } & AsyncDisposable> {
  const cfg = await tempConfig(text);
  await Deno.mkdir(`${cfg.dir}/data`);
  await Deno.copyFile(CSV, `${cfg.dir}/data/tickets.csv`);
  await Deno.writeTextFile(`${cfg.dir}/outside.csv`, "id,subject\nX,outside the grant\n");
  try {
    const results = await runFromDir(cfg.file, 30_000);
    return { results, dir: cfg.dir, [Symbol.asyncDispose]: cfg[Symbol.asyncDispose] };
  } catch (e) {
    await cfg[Symbol.asyncDispose]();
    throw e;
  }
}

function call(id: string, method: string, args: string, extra = ""): string {
  return `{ id: ${id}, use: "probe:Call", injects: { tickets: tickets }, ` +
    `params: { service: tickets, method: ${method}, args: ${args} }${extra} }`;
}

Deno.test("sqlite-tickets imports, triages once per ticket and records history, in its sandbox", async (t) => {
  await using run = await runConfig(`plugins:
  - from: ${PLUGIN}
    permissions: { read: ["./data"], write: ["./data"] }
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
services:
  - { id: tickets, use: "sqlite-tickets:Tickets", params: { path: ./data/tickets.db, actor: triage-bot, run: run-1 } }
orchestrator:
  runners:
    - id: main
      run:
        - { id: import, use: "sqlite-tickets:Import", injects: { tickets: tickets }, params: { path: ./data/tickets.csv } }
        - ${call("todo", "search", "[{ queue: IT, limit: 10, unprocessed: triage }]")}
        - id: each
          for_each: "\${{ steps.todo.data.value }}"
          steps:
            - ${
    call(
      "apply",
      "apply",
      '["${{ item.id }}", { changes: { queue: Hardware }, note: { body: "moved by triage" }, mark: triage }]',
    )
  }
        - ${call("again", "apply", '["T-1", { changes: { queue: Again }, mark: triage }]')}
        - ${call("left", "search", "[{ queue: IT, limit: 10, unprocessed: triage }]")}
        - { id: history, use: "sqlite-tickets:History", injects: { tickets: tickets }, params: { run: run-1 } }
        - ${call("unknown", "update", "[T-404, { queue: IT }]", ", continue_on_error: true")}
        - { id: outside, use: "sqlite-tickets:Import", injects: { tickets: tickets }, params: { path: ./outside.csv }, continue_on_error: true }
`);
  const { results } = run;
  await t.step("Import reports imported rows and malformed lines", () => {
    deepStrictEqual(stepOf(results, "import").data, {
      imported: 3,
      skipped: 1,
      existing: 0,
      duplicates: 0,
      errors: [{
        line: 6,
        message: "field 2 has text after its closing quote; quote the whole field and double " +
          "any quote inside it",
      }],
      warnings: [
        "./data/tickets.csv line 6: field 2 has text after its closing quote; quote the whole " +
        "field and double any quote inside it (row skipped)",
      ],
    });
  });
  await t.step("search crosses the sandbox as plain tickets", () => {
    const todo = stepOf(results, "todo").data as { value: { id: string; tags: string[] }[] };
    deepStrictEqual(todo.value.map((x) => [x.id, x.tags]), [
      ["T-1", ["hw", "printer"]],
      ["T-3", ["network"]],
    ]);
  });
  await t.step("apply runs once per ticket; a marked ticket is not processed again", () => {
    deepStrictEqual((stepOf(results, "each").data as { succeeded: number }).succeeded, 2);
    const again = stepOf(results, "again").data as { value: { applied: boolean } };
    strictEqual(again.value.applied, false);
    deepStrictEqual(stepOf(results, "left").data, { value: [] });
  });
  await t.step("History lists the run's changes with actor and run", () => {
    const rows = (stepOf(results, "history").data as {
      rows: { ticket: string; field: string; actor: string; run: string }[];
    }).rows;
    deepStrictEqual(
      rows.map((r) => `${r.ticket}:${r.field}`).sort(),
      ["T-1:mark", "T-1:note", "T-1:queue", "T-3:mark", "T-3:note", "T-3:queue"],
    );
    ok(rows.every((r) => r.actor === "triage-bot" && r.run === "run-1"));
  });
  await t.step("an unknown id fails the step with what to do", () => {
    const s = stepOf(results, "unknown");
    strictEqual(s.status, "failed");
    strictEqual(
      s.error,
      'service "tickets" failed in update(): Cannot update ticket "T-404": there is no ticket ' +
        "with that id; find ids with search() or import the ticket first",
    );
  });
  await t.step("a file outside the grant is denied, naming the grant to change", () => {
    const s = stepOf(results, "outside");
    strictEqual(s.status, "failed");
    match(s.error!, /plugin "sqlite-tickets" was denied read access to ".*outside\.csv"/);
    match(s.error!, /grant it under plugins\[0\]\.permissions\.read in .*config\.yml:2/);
  });
  await t.step("the db file holds the result", () => {
    const db = new DatabaseSync(`${run.dir}/data/tickets.db`, { readOnly: true });
    try {
      const rows = db.prepare(
        "SELECT t.id, t.queue, (SELECT count(*) FROM notes n WHERE n.ticket_id = t.id) AS notes, " +
          "(SELECT count(*) FROM marks m WHERE m.ticket_id = t.id) AS marks FROM tickets t ORDER BY id",
      ).all().map((r) => ({ ...r }));
      deepStrictEqual(rows, [
        { id: "T-1", queue: "Hardware", notes: 1, marks: 1 },
        { id: "T-2", queue: "Billing", notes: 0, marks: 0 },
        { id: "T-3", queue: "Hardware", notes: 1, marks: 1 },
      ]);
      strictEqual(db.prepare("SELECT count(*) AS n FROM history").get()?.n, 6);
    } finally {
      db.close();
    }
  });
});

Deno.test("sqlite-tickets fails the step when the grant does not cover the db file", async () => {
  await using run = await runConfig(`plugins:
  - from: ${PLUGIN}
    permissions: { read: ["./elsewhere"], write: ["./elsewhere"] }
services:
  - { id: tickets, use: "sqlite-tickets:Tickets", params: { path: ./data/tickets.db } }
orchestrator:
  runners:
    - id: main
      run:
        - { id: import, use: "sqlite-tickets:Import", injects: { tickets: tickets }, params: { path: ./data/tickets.csv } }
`);
  const s = stepOf(run.results, "import");
  strictEqual(s.status, "failed");
  match(
    s.error!,
    /^service "tickets" \(sqlite-tickets:Tickets\) could not be created: plugin "sqlite-tickets" was denied read access to ".*tickets\.db"; if it needs it, grant it under plugins\[0\]\.permissions\.read in .*config\.yml:2$/,
  );
  strictEqual(
    await Deno.stat(`${run.dir}/data/tickets.db`).then(() => true, () => false),
    false,
    "no db file is created",
  );
});

/** Starts the otai CLI on a config, as an admin would (no re-exec: the flag is given). */
function otai(config: string, options: { json?: boolean } = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-worker-options",
      `${ROOT}mod.ts`,
      "run",
      ...(options.json ? ["--json"] : []),
      config,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: options.json ? "piped" : "null",
    stderr: options.json ? "piped" : "null",
  }).spawn();
}

function count(path: string, sql: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number(db.prepare(sql).get()?.n);
  } finally {
    db.close();
  }
}

Deno.test("sqlite-tickets: a run killed mid-way and restarted processes every ticket exactly once", async () => {
  const N = 8000;
  const head = `plugins:
  - from: ${PLUGIN}
    permissions: { read: ["./data"], write: ["./data"] }
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
services:
  - { id: tickets, use: "sqlite-tickets:Tickets", params: { path: ./data/tickets.db } }
orchestrator:
  runners:
    - id: main
      run:
`;
  await using cfg = await tempConfig(
    `${head}        - { id: import, use: "sqlite-tickets:Import", injects: { tickets: tickets }, params: { path: ./data/in.csv } }\n`,
  );
  await Deno.mkdir(`${cfg.dir}/data`);
  const rows = Array.from({ length: N }, (_, i) => `K${String(i).padStart(5, "0")},Ticket ${i},IT`);
  await Deno.writeTextFile(`${cfg.dir}/data/in.csv`, `id,subject,queue\n${rows.join("\n")}\n`);
  const triage = `${cfg.dir}/triage.yml`;
  await Deno.writeTextFile(
    triage,
    `${head}        - ${call("todo", "search", "[{ limit: 10000, unprocessed: triage }]")}
        - id: each
          for_each: "\${{ steps.todo.data.value }}"
          concurrency: 4
          steps:
            - ${
      call(
        "apply",
        "apply",
        '["${{ item.id }}", { changes: { queue: Triaged }, note: { body: triaged }, mark: triage }]',
      )
    }
`,
  );
  const db = `${cfg.dir}/data/tickets.db`;
  strictEqual((await otai(cfg.file).status).code, 0, "the import run succeeds");

  const killed = otai(triage);
  let exited = false;
  const status = killed.status.finally(() => exited = true);
  // Bounded against a hang only: a busy machine may take long to get there.
  const deadline = Date.now() + 300_000;
  let seen = 0;
  while (seen < 200 && !exited && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    seen = count(db, "SELECT count(*) AS n FROM marks");
  }
  if (!exited) killed.kill("SIGKILL");
  await status;
  const marked = count(db, "SELECT count(*) AS n FROM marks");
  ok(marked >= 200 && marked < N, `the run was killed mid-way (${marked} of ${N} marked)`);
  const torn = "SELECT count(*) AS n FROM tickets t WHERE " +
    "(EXISTS (SELECT 1 FROM marks m WHERE m.ticket_id = t.id)) != (t.queue = 'Triaged') OR " +
    "(SELECT count(*) FROM notes n WHERE n.ticket_id = t.id) != (t.queue = 'Triaged') OR " +
    "(SELECT count(*) FROM history h WHERE h.ticket_id = t.id) NOT IN (0, 3)";
  strictEqual(count(db, torn), 0, "each ticket was processed completely or not at all");

  const restarted = otai(triage, { json: true });
  const out = await restarted.output();
  strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout));
  const each = doc.runners[0].steps.find((s: { id: string }) => s.id === "each");
  strictEqual(each.data.succeeded, N - marked, "the restart processes only what is left");
  strictEqual(count(db, "SELECT count(*) AS n FROM marks"), N);
  strictEqual(count(db, "SELECT count(*) AS n FROM notes"), N, "no ticket got a second note");
  strictEqual(count(db, torn), 0);
  strictEqual(count(db, "SELECT count(*) AS n FROM history"), 3 * N);
});
