import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import type { FaultOptions } from "../../examples/otobo/emulator.ts";
import { emulator, failure, notesOf, system } from "./_testing.ts";

const TRIAGE = {
  changes: { queue: "Misc", state: "open", priority: "4 high" },
  note: { subject: "otai triage", body: "Routed to Misc." },
  mark: "triage-v1",
};

Deno.test("apply() writes change, note and mark in one TicketUpdate, once", async (t) => {
  await using emu = await emulator();
  const { tickets } = system(emu);
  await t.step("one TicketUpdate carries fields, article and mark", async () => {
    const result = await tickets.apply("1", TRIAGE);
    strictEqual(result.applied, true);
    deepStrictEqual([result.ticket.queue, result.ticket.state], ["Misc", "open"]);
    const updates = emu.requests.log.filter((r) => r.operation === "TicketUpdate");
    strictEqual(updates.length, 1);
    const stored = emu.tickets.get(1)!;
    deepStrictEqual([stored.DynamicField.OtaiMarks, notesOf(emu, 1)], ["triage-v1", [
      "Routed to Misc.",
    ]]);
  });
  await t.step("a ticket with the mark is left alone", async () => {
    const before = emu.requests.log.length;
    deepStrictEqual((await tickets.apply("1", TRIAGE)).applied, false);
    deepStrictEqual(emu.requests.log.slice(before).map((r) => r.operation), ["TicketGet"]);
  });
  await t.step("another key is added to the marks", async () => {
    await tickets.apply("1", { mark: "audit" });
    strictEqual(emu.tickets.get(1)!.DynamicField.OtaiMarks, "triage-v1, audit");
  });
  await t.step("search({ unprocessed }) skips marked tickets", async () => {
    const found = await tickets.search({ state: "open", unprocessed: "triage-v1", limit: 100 });
    ok(found.length > 0);
    ok(!found.some((x) => x.id === "1"));
  });
  await t.step("a mark field that does not exist says to create it", async () => {
    const other = system(emu, { mark_field: "NoSuchField" }).tickets;
    match(
      await failure(other.apply("2", TRIAGE)),
      /^Cannot update ticket "2" in OTOBO: TicketUpdate\.InvalidParameter .*create the ticket dynamic field/,
    );
    deepStrictEqual([emu.tickets.get(2)!.State, notesOf(emu, 2)], ["new", []]);
  });
});

Deno.test("apply() reconciles a write whose outcome is unknown, never adding a second note", async (t) => {
  const cases: [string, FaultOptions][] = [
    ["HTTP 500 after the work", { error: 1, when: "after" }],
    ["dropped connection after the work", { drop: 1, when: "after" }],
    ["slow answer", { slow: 1, slow_ms: 1000 }],
    ["HTTP 500 half the time, before the work", { error: 0.5, when: "before", seed: 5 }],
  ];
  for (const [name, faults] of cases) {
    await t.step(name, async () => {
      await using emu = await emulator();
      const { tickets } = system(emu, { timeout_ms: 300, retries: 6 });
      await tickets.search({ limit: 1 });
      emu.faults = { ...faults, operations: ["TicketUpdate"] };
      strictEqual((await tickets.apply("1", TRIAGE)).applied, true);
      const stored = emu.tickets.get(1)!;
      deepStrictEqual([stored.Queue, stored.State, stored.DynamicField.OtaiMarks], [
        "Misc",
        "open",
        "triage-v1",
      ]);
      deepStrictEqual(notesOf(emu, 1), ["Routed to Misc."]);
    });
  }
});

Deno.test("apply() that cannot finish names the ticket; the next unprocessed search has it", async (t) => {
  for (const when of ["partial-article", "partial-ticket"] as const) {
    await t.step(when, async () => {
      await using emu = await emulator();
      const { tickets } = system(emu, { retries: 2 });
      await tickets.search({ limit: 1 });
      emu.faults = { error: 1, when, operations: ["TicketUpdate"] };
      match(
        await failure(tickets.apply("1", TRIAGE)),
        /^Cannot update ticket "1" in OTOBO: .*HTTP 500.*ticket "1" may be partly changed .*the next unprocessed search returns it again$/,
      );
      const half = emu.tickets.get(1)!;
      deepStrictEqual([half.State, half.DynamicField.OtaiMarks], ["open", undefined]);
      strictEqual(notesOf(emu, 1).length, when === "partial-article" ? 1 : 0);
      emu.faults = undefined;
      // The ticket is open now, yet the search for new unprocessed tickets returns it.
      const again = await tickets.search({ state: "new", unprocessed: "triage-v1", limit: 100 });
      strictEqual(again[0]?.id, "1");
      strictEqual((await tickets.apply("1", TRIAGE)).applied, true);
      deepStrictEqual(notesOf(emu, 1), ["Routed to Misc."]);
      const later = await tickets.search({ state: "new", unprocessed: "triage-v1", limit: 100 });
      ok(!later.some((x) => x.id === "1"));
    });
  }
});

Deno.test("apply() under random faults processes every ticket once; the failed ones later", async () => {
  await using emu = await emulator();
  const { tickets } = system(emu, { timeout_ms: 250, retries: 1 });
  const fresh = [...emu.tickets.values()].filter((x) => x.State === "new").map((x) => x.TicketID);
  emu.faults = { error: 0.2, slow: 0.1, drop: 0.05, slow_ms: 400, seed: 11 };
  const failed = new Map<string, string>();
  for (let cycle = 0; cycle < 6; cycle++) {
    let found: { id: string }[];
    try {
      found = await tickets.search({ state: "new", unprocessed: "triage-v1", limit: 100 });
    } catch {
      continue; // the search itself lost; the next cycle searches again
    }
    if (!found.length) break;
    await Promise.all(found.map(async ({ id }) => {
      try {
        await tickets.apply(id, TRIAGE);
        failed.delete(id);
      } catch (e) {
        match((e as Error).message, new RegExp(`ticket "${id}"`));
        failed.set(id, (e as Error).message);
      }
    }));
  }
  emu.faults = undefined;
  // Every ticket named as failed was picked up again by a later cycle and processed once.
  for (const id of fresh) {
    const stored = emu.tickets.get(id)!;
    deepStrictEqual(notesOf(emu, id), ["Routed to Misc."], `ticket ${id}`);
    deepStrictEqual([stored.Queue, stored.State, stored.DynamicField.OtaiMarks], [
      "Misc",
      "open",
      "triage-v1",
    ]);
  }
  ok(emu.requests.log.filter((r) => r.fault).length > 10, "faults were injected");
});
