import { deepStrictEqual, match, ok, strictEqual, throws } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { TicketStore } from "./_store.ts";
import { manualClock, tempStore } from "./_testing.ts";

const JSONL = [
  { id: "A", subject: "Printer jam", body: "Tray 2", queue: "IT", priority: "high", tags: ["hw"] },
  { id: "B", subject: "Invoice", body: "Wrong total", queue: "Billing", priority: "low" },
  { id: "C", subject: "VPN", body: "Drops", queue: "IT", priority: "normal", state: "open" },
].map((t) => JSON.stringify(t)).join("\n");

async function seeded(clock = manualClock("2024-01-01T00:00:00Z")) {
  const t = await tempStore({ actor: "tester", run: "seed", now: clock.now });
  await t.store.importFile(await t.write("seed.jsonl", JSONL));
  return t;
}

Deno.test("TicketStore.search() filters by queue, state, since and orders by updated_at, id", async (t) => {
  const clock = manualClock("2024-01-01T00:00:00Z");
  await using s = await seeded(clock);
  const ids = (q: Parameters<TicketStore["search"]>[0]) => s.store.search(q).map((x) => x.id);
  clock.set("2024-03-01T00:00:00Z");
  s.store.update("A", { state: "open" });
  await t.step("no filter: oldest change first, then by id", () => {
    deepStrictEqual(ids({ limit: 10 }), ["B", "C", "A"]);
  });
  await t.step("queue", () => deepStrictEqual(ids({ limit: 10, queue: "IT" }), ["C", "A"]));
  await t.step("state", () => deepStrictEqual(ids({ limit: 10, state: "open" }), ["C", "A"]));
  await t.step("since is inclusive and takes any ISO 8601 time", () => {
    deepStrictEqual(ids({ limit: 10, since: "2024-03-01T01:00:00+01:00" }), ["A"]);
    deepStrictEqual(ids({ limit: 10, since: "2024-03-02" }), []);
  });
  await t.step("limit and offset page", () => {
    deepStrictEqual(ids({ limit: 2 }), ["B", "C"]);
    deepStrictEqual(ids({ limit: 2, offset: 2 }), ["A"]);
    deepStrictEqual(ids({ limit: 0 }), []);
  });
  await t.step("a limit above 10000 is refused with what to do", () => {
    throws(() => s.store.search({ limit: 10_001 }), {
      name: "RangeError",
      message: "Cannot search tickets: limit 10001 is above the maximum of 10000; page " +
        "through the tickets with limit and offset",
    });
  });
  await t.step("unknown filters and bad values are refused", () => {
    throws(() => s.store.search({ limit: 5, queu: "IT" } as never), /unknown field "queu"/);
    throws(() => s.store.search({ limit: -1 }), /"limit" must be a whole number/);
    throws(() => s.store.search({ limit: 5, since: "yesterday" }), /"since" must be an ISO 8601/);
  });
});

Deno.test("TicketStore.get() returns plain, cloneable tickets with notes, or null", async () => {
  await using s = await seeded();
  strictEqual(s.store.get("nope"), null);
  s.store.addNote("A", { body: "Ordered a new tray", subject: "Update" });
  const a = s.store.get("A")!;
  deepStrictEqual(a, {
    id: "A",
    subject: "Printer jam",
    body: "Tray 2",
    queue: "IT",
    priority: "high",
    tags: ["hw"],
    notes: [{
      body: "Ordered a new tray",
      subject: "Update",
      author: "tester",
      created_at: "2024-01-01T00:00:00.000Z",
    }],
    updated_at: "2024-01-01T00:00:00.000Z",
  });
  strictEqual(Object.getPrototypeOf(a), Object.prototype);
  strictEqual(Object.getPrototypeOf(a.notes[0]), Object.prototype);
  deepStrictEqual(structuredClone(a), a);
  ok(!("state" in a), "absent optional fields are left out, not undefined");
});

Deno.test("TicketStore.update() writes and records only changed fields", async () => {
  const clock = manualClock("2024-01-01T00:00:00Z");
  await using s = await seeded(clock);
  clock.set("2024-02-01T00:00:00Z");
  const t = s.store.update("A", { queue: "IT", priority: "low", tags: ["hw", "p1"] }, {
    run: "r1",
  });
  deepStrictEqual([t.queue, t.priority, t.tags, t.updated_at], [
    "IT",
    "low",
    ["hw", "p1"],
    "2024-02-01T00:00:00.000Z",
  ]);
  deepStrictEqual(
    s.store.history({ ticket: "A" }).map((h) => [h.field, h.old_value, h.new_value, h.run]),
    [["tags", ["hw"], ["hw", "p1"], "r1"], ["priority", "high", "low", "r1"]],
  );
  clock.set("2024-03-01T00:00:00Z");
  strictEqual(s.store.update("A", { priority: "low" }).updated_at, "2024-02-01T00:00:00.000Z");
  strictEqual(s.store.history({ ticket: "A" }).length, 2, "a no-op update records nothing");
});

Deno.test("TicketStore.update() and addNote() refuse unknown ids and bad input clearly", async () => {
  await using s = await seeded();
  throws(() => s.store.update("Z9", { queue: "IT" }), {
    name: "NotFound",
    message: 'Cannot update ticket "Z9": there is no ticket with that id; find ids with ' +
      "search() or import the ticket first",
  });
  throws(() => s.store.addNote("Z9", { body: "x" }), /Cannot add a note to ticket "Z9"/);
  throws(() => s.store.update("A", { subject: "new" } as never), /unknown field "subject"/);
  throws(() => s.store.update("A", { tags: "a,b" } as never), /"tags" must be a list/);
  throws(() => s.store.addNote("A", { body: 5 } as never), /"body" must be a string/);
  strictEqual(s.store.history().length, 0);
});

Deno.test("TicketStore.apply() does changes, note and marker in one transaction, once", async (t) => {
  await using s = await seeded();
  await t.step("a marked ticket leaves the unprocessed search", () => {
    const r = s.store.apply("A", {
      changes: { queue: "Hardware" },
      note: { body: "Routed to hardware" },
      mark: "triage",
      run: "r1",
    });
    strictEqual(r.applied, true);
    deepStrictEqual([r.ticket.queue, r.ticket.notes.length], ["Hardware", 1]);
    deepStrictEqual(s.store.search({ limit: 10, unprocessed: "triage" }).map((x) => x.id), [
      "B",
      "C",
    ]);
    deepStrictEqual(s.store.search({ limit: 10, unprocessed: "other" }).length, 3);
  });
  await t.step("applying again under the same key does nothing", () => {
    const r = s.store.apply("A", {
      changes: { queue: "Again" },
      note: { body: "twice" },
      mark: "triage",
    });
    strictEqual(r.applied, false);
    deepStrictEqual([r.ticket.queue, r.ticket.notes.length], ["Hardware", 1]);
  });
  await t.step("a failure inside the transaction leaves nothing behind", () => {
    // A trigger makes the note insert fail after the changes and the marker were written.
    const db = new DatabaseSync(s.path);
    db.exec(
      "CREATE TRIGGER fail_notes BEFORE INSERT ON notes WHEN NEW.body = 'boom' " +
        "BEGIN SELECT RAISE(ABORT, 'note refused'); END",
    );
    db.close();
    throws(
      () => s.store.apply("B", { changes: { queue: "X" }, note: { body: "boom" }, mark: "triage" }),
      /note refused/,
    );
    const b = s.store.get("B")!;
    deepStrictEqual([b.queue, b.notes.length], ["Billing", 0]);
    deepStrictEqual(s.store.search({ limit: 10, unprocessed: "triage" }).map((x) => x.id), [
      "B",
      "C",
    ]);
    strictEqual(s.store.history({ ticket: "B" }).length, 0);
  });
  await t.step("invalid input is refused before anything is written", () => {
    throws(() => s.store.apply("C", { changes: { queue: "Y" }, note: {} as never, mark: "k" }));
    strictEqual(s.store.get("C")!.queue, "IT");
  });
});

Deno.test("TicketStore keeps its data across reopen and uses WAL", async () => {
  await using s = await seeded();
  s.store.update("B", { state: "closed" }, { run: "r1" });
  s.store[Symbol.dispose]();
  using again = new TicketStore(s.path);
  strictEqual(again.get("B")!.state, "closed");
  strictEqual(again.history({ run: "r1" }).length, 1);
  const db = new DatabaseSync(s.path, { readOnly: true });
  try {
    strictEqual(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
  } finally {
    db.close();
  }
  strictEqual(again.history({ run: "r1" })[0]!.actor, "tester");
  again.update("B", { state: "open" });
  const last = again.history({ limit: 1 })[0]!;
  strictEqual(last.actor, "otai", "the actor defaults to otai");
  match(last.run, /^run-\d{8}T\d{6}Z-[0-9a-f]{6}$/, "the run defaults to one id per store");
});
