import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { emulator, failure, notesOf, PASSWORD, system } from "./_testing.ts";

const NOTE = { body: "Checked." };

Deno.test("Client names the permission OTOBO lacks", async (t) => {
  await using emu = await emulator({
    users: [{
      login: "otai",
      password: PASSWORD,
      permissions: { "IT::Network": ["rw"], Billing: ["ro", "note"], HR: ["ro"] },
    }],
  });
  const { tickets } = system(emu);
  await t.step("a move without move_into on the target: HTTP 500, read right", async () => {
    const notes = notesOf(emu, 6).length;
    const message = await failure(tickets.apply("6", {
      changes: { queue: "Billing", state: "open" },
      note: NOTE,
      mark: "triage-v1",
    }));
    match(
      message,
      /^Cannot update ticket "6" in OTOBO: ".*" answered HTTP 500 \(Ticket queue could not be updated, please contact system administrator!\); OTOBO refused the move: give "otai" the move_into permission on the target queue "Billing"/,
    );
    deepStrictEqual([emu.tickets.get(6)!.Queue, notesOf(emu, 6).length], ["IT::Network", notes]);
  });
  await t.step("a note with the note permission works in OTOBO", async () => {
    await tickets.addNote("3", NOTE);
    deepStrictEqual(notesOf(emu, 3), ["Checked."]);
  });
  await t.step("a state change without rw names rw", async () => {
    match(
      await failure(tickets.update("3", { state: "closed successful" })),
      /TicketUpdate\.AccessDenied \(TicketUpdate: Does not have permissions to update state!\); give "otai" rw permission/,
    );
  });
  await t.step("a note without the note permission names it", async () => {
    match(
      await failure(tickets.addNote("11", NOTE)),
      /create new articles!\); give "otai" the note permission \(OTOBO\) or rw \(Znuny\)/,
    );
  });
});

Deno.test("Client works against Znuny under /otrs/, where notes need rw", async (t) => {
  await using emu = await emulator({
    product: "znuny",
    users: [{
      login: "otai",
      password: PASSWORD,
      permissions: { Billing: ["ro", "note"], "IT::Network": ["rw"], Misc: ["rw"] },
    }],
  });
  const { tickets } = system(emu);
  await t.step("search, apply and marks", async () => {
    const found = await tickets.search({
      queue: "IT::Network",
      state: "new",
      unprocessed: "t",
      limit: 5,
    });
    strictEqual(found[0]?.id, "1");
    const result = await tickets.apply("1", {
      changes: { queue: "Misc", state: "open" },
      note: NOTE,
      mark: "t",
    });
    deepStrictEqual([result.applied, result.ticket.queue, notesOf(emu, 1)], [true, "Misc", [
      "Checked.",
    ]]);
  });
  await t.step("a note with only the note permission is refused, naming rw", async () => {
    match(
      await failure(tickets.addNote("3", NOTE)),
      /create new articles!\); give "otai" the note permission \(OTOBO\) or rw \(Znuny\)/,
    );
  });
});
