import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openConfig, type RunnerResult } from "../mod.ts";
import { type OtoboEmulator, startOtoboEmulator } from "../examples/otobo/emulator.ts";
import { ROOT, runFromDir, stepOf, tempConfig } from "./_helpers.ts";

const BASE = `${ROOT}plugins/base/mod.ts`;
const SQLITE = `${ROOT}plugins/sqlite_tickets/mod.ts`;
const OTOBO = `${ROOT}plugins/otobo_znuny/mod.ts`;
const ENV = "OTAI_TEST_BASE_OTOBO_PASSWORD";
const PASSWORD = "pw-Base-Secret-7";

const CSV = `id,subject,queue,priority,tags
T-1,Printer jams,IT,normal,hw
T-2,VPN drops,IT,high,network
T-3,Invoice wrong,Billing,low,billing
`;

function ids(data: unknown): string[] {
  return (data as { tickets: { id: string }[] }).tickets.map((t) => t.id);
}

Deno.test("base pipes triage sqlite-tickets once per ticket, in their sandboxes", async (t) => {
  await using cfg = await tempConfig(
    `plugins:
  - from: ${SQLITE}
    permissions: { read: ["."], write: ["."] }
  - from: ${BASE}
services:
  - { id: tickets, use: "sqlite-tickets:Tickets", params: { path: ./tickets.db, run: run-1 } }
orchestrator:
  runners:
    - id: main
      run:
        - { id: import, use: "sqlite-tickets:Import", injects: { tickets: tickets }, params: { path: ./tickets.csv } }
        - id: fetch
          use: base:FetchTickets
          injects: { tickets: tickets }
          params: { queue: IT, unprocessed: triage }
        - id: each
          for_each: "\${{ steps.fetch.data.tickets }}"
          steps:
            - id: update
              use: base:UpdateTicket
              injects: { tickets: tickets }
              params:
                id: "\${{ item.id }}"
                changes: { priority: urgent, tags: [triaged] }
                note: { body: "Triaged by otai", subject: Triage }
                mark: triage
        - { id: left, use: base:FetchTickets, injects: { tickets: tickets }, params: { queue: IT, unprocessed: triage } }
        - id: twice
          use: base:UpdateTicket
          injects: { tickets: tickets }
          params: { id: T-1, changes: { priority: low }, mark: triage }
        - id: batch
          use: base:UpdateTickets
          injects: { tickets: tickets }
          params:
            updates:
              - { id: T-2, note: { body: again }, mark: triage }
              - { id: T-404, changes: { queue: IT } }
              - { id: T-3, changes: { queue: Finance }, mark: billing }
        - { id: all, use: base:FetchTickets, injects: { tickets: tickets }, params: { limit: 10 } }
        - id: urgent
          use: base:Filter
          params: { items: "\${{ steps.all.data.tickets }}", where: 'item.priority == "urgent"' }
        - { id: queues, use: base:Tally, params: { items: "\${{ steps.all.data.tickets }}", by: queue } }
        - id: report
          use: base:Report
          params:
            title: Triage
            values: { urgent: "\${{ steps.urgent.data.count }}", queues: "\${{ steps.queues.data.counts }}" }
        - { id: log, use: base:Log, params: { message: "Triaged {n}", data: { n: "\${{ steps.urgent.data.count }}" } } }
        - id: bad
          use: base:UpdateTicket
          injects: { tickets: tickets }
          params: { id: T-1, changes: { queu: "\${{ 'IT' }}" } }
          continue_on_error: true
`,
    { "tickets.csv": CSV },
  );
  const results = await runFromDir(cfg.file, 30_000);

  await t.step("every step but the bad one succeeded", () => {
    deepStrictEqual(
      results[0]!.steps.filter((s) => s.status !== "succeeded").map((s) => s.id),
      ["bad"],
    );
  });
  await t.step("FetchTickets with unprocessed lists the unmarked tickets", () => {
    deepStrictEqual(ids(stepOf(results, "fetch").data), ["T-1", "T-2"]);
    strictEqual((stepOf(results, "fetch").data as { count: number }).count, 2);
    deepStrictEqual(stepOf(results, "each").data, {
      succeeded: 2,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });
  await t.step("after UpdateTicket with a mark, FetchTickets returns none", () => {
    deepStrictEqual(stepOf(results, "left").data, { tickets: [], count: 0 });
  });
  await t.step("a second UpdateTicket with the same mark does nothing", () => {
    deepStrictEqual(stepOf(results, "twice").data, { id: "T-1", applied: false });
  });
  await t.step("UpdateTickets counts applied, unchanged and failed tickets", () => {
    const data = stepOf(results, "batch").data as {
      applied: number;
      unchanged: number;
      failed: number;
      failures: { id: string; error: string }[];
    };
    deepStrictEqual([data.applied, data.unchanged, data.failed], [1, 1, 1]);
    deepStrictEqual(data.failures.map((f) => f.id), ["T-404"]);
    match(data.failures[0]!.error, /^service "tickets" failed in apply\(\): Cannot update ticket/);
  });
  await t.step("Filter, Tally and Report run on the tickets", () => {
    deepStrictEqual(ids({ tickets: (stepOf(results, "urgent").data as { items: [] }).items }), [
      "T-1",
      "T-2",
    ]);
    deepStrictEqual(stepOf(results, "queues").data, {
      total: 3,
      counts: { IT: 2, Finance: 1 },
    });
    deepStrictEqual(stepOf(results, "report").data, {
      report: "Triage\n  urgent: 2\n  queues: IT=2, Finance=1",
    });
    deepStrictEqual(stepOf(results, "log").data, { logged: true });
  });
  await t.step("bad params name the field and the fix", () => {
    match(
      stepOf(results, "bad").error!,
      /^invalid params: changes: cannot change "queu"; change only queue, priority, state, type, tags/,
    );
  });
  await t.step("the db holds each change once", () => {
    const db = new DatabaseSync(`${cfg.dir}/tickets.db`, { readOnly: true });
    try {
      const rows = db.prepare(
        "SELECT t.id, t.priority, t.queue, (SELECT count(*) FROM notes n WHERE n.ticket_id = t.id) " +
          "AS notes, (SELECT group_concat(m.key) FROM marks m WHERE m.ticket_id = t.id) AS marks " +
          "FROM tickets t ORDER BY t.id",
      ).all().map((r) => ({ ...r }));
      deepStrictEqual(rows, [
        { id: "T-1", priority: "urgent", queue: "IT", notes: 1, marks: "triage" },
        { id: "T-2", priority: "urgent", queue: "IT", notes: 1, marks: "triage" },
        { id: "T-3", priority: "low", queue: "Finance", notes: 0, marks: "billing" },
      ]);
    } finally {
      db.close();
    }
  });
});

Deno.test("base pipes refuse static params that are wrong when the config is loaded", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${BASE}
orchestrator:
  runners:
    - id: main
      run:
        - { id: filter, use: base:Filter, params: { items: [], where: "item ==" } }
        - { id: fetch, use: base:FetchTickets, params: { limit: 0 } }
`);
  await rejects(openConfig(cfg.file), (e: Error) => {
    strictEqual(e.name, "ConfigError");
    const lines = e.message.split("\n");
    match(
      lines[0]!,
      /config\.yml:7:71: orchestrator\.runners\[0\]\.run\[0\]\.params\.where: invalid param for base:Filter: Cannot compile where "item ==": Unexpected token: EOF \(column 8\)$/,
    );
    // FetchTickets declares the ticket system it takes, and this step injects none.
    match(
      lines[1]!,
      /config\.yml:8:29: .*run\[1\]\.use: base:FetchTickets takes the service "tickets"/,
    );
    match(
      lines[2]!,
      /config\.yml:8:65: orchestrator\.runners\[0\]\.run\[1\]\.params\.limit: invalid param for base:FetchTickets: give limit as a whole number from 1 to 10000; page with offset for more$/,
    );
    return true;
  });
});

/** A config with otobo-znuny granted the emulator's host:port and the password variable. */
function otoboConfig(emu: OtoboEmulator, run: string): string {
  return `plugins:
  - from: ${OTOBO}
    permissions: { net: ["127.0.0.1:${new URL(emu.url).port}"], env: ["${ENV}"] }
  - from: ${BASE}
services:
  - id: otobo
    use: otobo-znuny:Client
    params: { base_url: ${emu.baseUrl}, user: otai, password_env: ${ENV} }
orchestrator:
  runners:
    - id: main
      run:
${run}`;
}

Deno.test("base pipes update OTOBO tickets through apply(), marks kept in OTOBO", async (t) => {
  await using emu = await startOtoboEmulator({ users: [{ login: "otai", password: PASSWORD }] });
  await using cfg = await tempConfig(otoboConfig(
    emu,
    `        - id: fetch
          use: base:FetchTickets
          injects: { tickets: otobo }
          params: { queue: Billing, state: new, limit: 5 }
        - id: update
          use: base:UpdateTicket
          injects: { tickets: otobo }
          params:
            id: "\${{ steps.fetch.data.tickets[0].id }}"
            changes: { queue: Misc, state: open, tags: [billing] }
            note: { body: "Duplicate charge confirmed.", subject: Triage }
        - id: marked
          use: base:UpdateTicket
          injects: { tickets: otobo }
          params: { id: "9", changes: { priority: "5 very high" }, mark: triage }
        - id: batch
          use: base:UpdateTickets
          injects: { tickets: otobo }
          params:
            updates:
              - { id: "9", note: { body: "Checked." } }
              - { id: "9", note: { body: "Twice?" }, mark: triage }
        - id: unprocessed
          use: base:FetchTickets
          injects: { tickets: otobo }
          params: { queue: Billing, state: new, unprocessed: triage, limit: 5 }
        - { id: note, use: base:AddNote, injects: { tickets: otobo }, params: { id: 3, body: "Refund sent." } }
`,
  ));
  Deno.env.set(ENV, PASSWORD);
  let results: RunnerResult[];
  try {
    using app = await openConfig(cfg.file);
    results = await app.run({ signal: AbortSignal.timeout(30_000) });
  } finally {
    Deno.env.delete(ENV);
  }

  await t.step("FetchTickets searches OTOBO", () => {
    deepStrictEqual(ids(stepOf(results, "fetch").data), ["3", "9"]);
  });
  await t.step("UpdateTicket without a mark changed OTOBO's store in one TicketUpdate", () => {
    deepStrictEqual(stepOf(results, "update").data, { id: "3", applied: true });
    const stored = emu.tickets.get(3)!;
    deepStrictEqual([stored.Queue, stored.State], ["Misc", "open"]);
    deepStrictEqual(stored.DynamicField.Tags, ["billing"]);
    const notes = stored.Articles.slice(-2).map((a) => [a.Subject, a.Body, a.IsVisibleForCustomer]);
    deepStrictEqual(notes, [
      ["Triage", "Duplicate charge confirmed.", 0],
      ["Note", "Refund sent.", 0],
    ]);
  });
  await t.step("UpdateTicket with a mark marks the ticket in OTOBO", () => {
    deepStrictEqual(stepOf(results, "marked").data, { id: "9", applied: true });
    const stored = emu.tickets.get(9)!;
    deepStrictEqual([stored.Priority, stored.DynamicField.OtaiMarks], ["5 very high", "triage"]);
  });
  await t.step("UpdateTickets leaves a marked ticket alone", () => {
    const data = stepOf(results, "batch").data as { applied: number; unchanged: number };
    deepStrictEqual([data.applied, data.unchanged], [1, 1]);
    deepStrictEqual(emu.tickets.get(9)!.Articles.map((a) => a.Body).slice(-1), ["Checked."]);
  });
  await t.step("FetchTickets with unprocessed skips the marked ticket", () => {
    deepStrictEqual(ids(stepOf(results, "unprocessed").data), []);
  });
  await t.step("the password never reaches the results", () => {
    ok(!JSON.stringify(results).includes(PASSWORD));
  });
});
