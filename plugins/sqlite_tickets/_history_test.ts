import { deepStrictEqual, match, strictEqual, throws } from "node:assert/strict";
import { manualClock, tempStore } from "./_testing.ts";

const SEED = "id,subject,queue,priority,tags\nA,Printer,IT,high,hw\nB,Invoice,Billing,low,\n";

async function seeded() {
  const clock = manualClock("2024-01-01T00:00:00Z");
  const s = await tempStore({ actor: "bot", now: clock.now });
  await s.store.importFile(await s.write("seed.csv", SEED));
  return Object.assign(s, { clock });
}

Deno.test("TicketStore.history() lists one row per changed field, newest first", async (t) => {
  await using s = await seeded();
  s.clock.set("2024-02-01T00:00:00Z");
  s.store.update("A", { queue: "Hardware", tags: ["hw", "p1"] }, { run: "r1" });
  s.store.addNote("B", { body: "Checked" }, { run: "r1" });
  s.store.apply("B", { changes: { state: "open" }, mark: "triage", run: "r2" });
  await t.step("every field of every change, with actor, run and time", () => {
    deepStrictEqual(
      s.store.history({ run: "r1" }).map((h) => [h.ticket, h.field, h.old_value, h.new_value]),
      [
        ["B", "note", null, {
          id: 1,
          body: "Checked",
          subject: null,
          author: "bot",
          created_at: "2024-02-01T00:00:00.000Z",
        }],
        ["A", "tags", ["hw"], ["hw", "p1"]],
        ["A", "queue", "IT", "Hardware"],
      ],
    );
    const [row] = s.store.history({ limit: 1 });
    deepStrictEqual({ ...row, id: 0 }, {
      id: 0,
      ticket: "B",
      field: "state",
      old_value: null,
      new_value: "open",
      actor: "bot",
      run: "r2",
      at: "2024-02-01T00:00:00.000Z",
    });
  });
  await t.step("filters by ticket and limits", () => {
    deepStrictEqual(s.store.history({ ticket: "B" }).map((h) => h.field), [
      "state",
      "mark",
      "note",
    ]);
    strictEqual(s.store.history({ limit: 2 }).length, 2);
    throws(() => s.store.history({ limit: 10_001 }), /"limit" must be a whole number from 1/);
  });
});

Deno.test("TicketStore.revert() undoes a run newest first and records the undo", async () => {
  await using s = await seeded();
  s.clock.set("2024-02-01T00:00:00Z");
  s.store.update("A", { queue: "Hardware" }, { run: "r1" });
  s.store.update("A", { queue: "Printers", priority: "low" }, { run: "r1" });
  s.store.apply("B", {
    changes: { tags: ["x"] },
    note: { body: "n" },
    mark: "triage",
    run: "r1",
  });
  s.store.update("B", { state: "open" }, { run: "other" });
  s.clock.set("2024-03-01T00:00:00Z");
  const result = s.store.revert({ run: "r1" });
  match(result.run, /^revert-20240301T000000Z-[0-9a-f]{6}$/);
  deepStrictEqual({ ...result, run: "" }, { run: "", reverted: 6, conflicts: 0, tickets: 2 });
  const a = s.store.get("A")!;
  deepStrictEqual([a.queue, a.priority, a.updated_at], ["IT", "high", "2024-03-01T00:00:00.000Z"]);
  const b = s.store.get("B")!;
  deepStrictEqual([b.tags, b.notes, b.state], [[], [], "open"], "the other run's change stays");
  deepStrictEqual(
    s.store.search({ limit: 5, unprocessed: "triage" }).map((t) => t.id),
    ["A", "B"],
    "undone marks let the run process the ticket again",
  );
  deepStrictEqual(
    s.store.history({ run: result.run }).map((h) => [h.ticket, h.field]).sort(),
    [["A", "priority"], ["A", "queue"], ["A", "queue"], ["B", "mark"], ["B", "note"], [
      "B",
      "tags",
    ]],
  );
  const again = s.store.revert({ run: "r1" });
  deepStrictEqual([again.reverted, again.conflicts], [0, 6], "reverting twice changes nothing");
});

Deno.test("TicketStore.revert() leaves alone what a later run changed again", async () => {
  await using s = await seeded();
  s.store.update("A", { queue: "Hardware" }, { run: "r1" });
  s.store.update("A", { queue: "Printers" }, { run: "r2" });
  const result = s.store.revert({ run: "r1" });
  deepStrictEqual([result.reverted, result.conflicts], [0, 1]);
  strictEqual(s.store.get("A")!.queue, "Printers");
});

Deno.test("TicketStore.revert() by time restores the state at that time, and can be undone", async () => {
  await using s = await seeded();
  s.clock.set("2024-02-01T00:00:00Z");
  s.store.update("A", { queue: "Q1" }, { run: "r1" });
  s.clock.set("2024-02-02T00:00:00Z");
  s.store.update("A", { queue: "Q2" }, { run: "r2" });
  s.store.addNote("A", { body: "late" }, { run: "r2" });
  s.clock.set("2024-02-03T00:00:00Z");
  const undo = s.store.revert({ since: "2024-02-02" });
  deepStrictEqual([undo.reverted, undo.conflicts], [2, 0]);
  deepStrictEqual([s.store.get("A")!.queue, s.store.get("A")!.notes.length], ["Q1", 0]);
  const redo = s.store.revert({ run: undo.run });
  deepStrictEqual([redo.reverted, redo.conflicts], [2, 0]);
  const a = s.store.get("A")!;
  deepStrictEqual([a.queue, a.notes.map((n) => n.body)], ["Q2", ["late"]]);
});

Deno.test("TicketStore.revert() needs a run or a time", async () => {
  await using s = await seeded();
  throws(() => s.store.revert({}), {
    name: "TypeError",
    message: /^Cannot revert: say which changes to undo with run \(a run id from history\(\)\)/,
  });
  throws(() => s.store.revert({ since: "last week" }), /"since" must be an ISO 8601 time/);
  deepStrictEqual({ ...s.store.revert({ run: "none" }), run: "" }, {
    run: "",
    reverted: 0,
    conflicts: 0,
    tickets: 0,
  });
});
