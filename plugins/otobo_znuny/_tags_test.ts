import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { emulator, notesOf, system } from "./_testing.ts";

const ROUTE = { queue: "Misc", state: "open" };

Deno.test("writeTags() never lets a tag block routing on a multiselect field", async (t) => {
  await using emu = await emulator();
  const { tickets, logs } = system(emu);
  await t.step("unknown values are left out and reported; the others are written", async () => {
    const result = await tickets.apply("1", {
      changes: { ...ROUTE, tags: ["vpn", "no-such-tag", "network"] },
      note: { body: "Routed." },
      mark: "triage-v1",
    });
    const stored = emu.tickets.get(1)!;
    deepStrictEqual([stored.Queue, stored.State, notesOf(emu, 1)], ["Misc", "open", ["Routed."]]);
    deepStrictEqual(stored.DynamicField.Tags, ["vpn", "network"]);
    deepStrictEqual(result.unwritten_tags, ["no-such-tag"]);
    const warning = logs.find((l) => l.level === "warn")!;
    deepStrictEqual([warning.properties.ticket, warning.properties.tags], ["1", '"no-such-tag"']);
    match(String(warning.properties.reason), /not possible values of dynamic field "Tags"/);
  });
  await t.step("what OTOBO refused is remembered, and asking wrote nothing", async () => {
    const before = emu.requests.log.length;
    await tickets.update("2", { tags: ["no-such-tag", "hardware"] });
    const updates = emu.requests.log.slice(before).filter((r) => r.operation === "TicketUpdate");
    strictEqual(updates.length, 1, "no second probe for a value already refused");
    deepStrictEqual(emu.tickets.get(2)!.DynamicField.Tags, ["hardware"]);
    strictEqual(emu.tickets.get(2)!.Articles.length, 1);
  });
});

Deno.test("writeTags() writes comma-separated text to a text field", async (t) => {
  await using emu = await emulator({
    catalog: { dynamic_fields: [{ name: "Tags", type: "Text" }, "OtaiMarks"] },
  });
  await t.step("tags_field_type: text", async () => {
    const { tickets } = system(emu, { tags_field_type: "text" });
    const ticket = await tickets.update("3", { ...ROUTE, tags: ["refund", "urgent"] });
    strictEqual(emu.tickets.get(3)!.DynamicField.Tags, "refund, urgent");
    deepStrictEqual(ticket.tags, ["refund", "urgent"]);
  });
  await t.step("a list sent to a text field fails alone, after the routing", async () => {
    const { tickets, logs } = system(emu);
    const result = await tickets.apply("4", { changes: { ...ROUTE, tags: ["x"] } });
    deepStrictEqual([emu.tickets.get(4)!.Queue, result.unwritten_tags], ["Misc", ["x"]]);
    match(
      String(logs.find((l) => l.level === "warn")!.properties.reason),
      /could not store the value of dynamic field "Tags".*set tags_field_type/,
    );
  });
});
