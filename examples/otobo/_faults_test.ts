import { deepStrictEqual, match, rejects, strictEqual } from "node:assert/strict";
import { startOtoboEmulator } from "./emulator.ts";
import { AUTH, call } from "./_testing.ts";

const UPDATE = {
  ...AUTH,
  Ticket: { State: "open" },
  Article: { Subject: "s", Body: "b", ContentType: "text/plain" },
  DynamicField: [{ Name: "OtaiMarks", Value: "triage" }],
};

/** What ticket 1 shows: its state, its number of articles, its mark. */
function shape(t: { State: string; Articles: unknown[]; DynamicField: Record<string, unknown> }) {
  return [t.State, t.Articles.length, t.DynamicField.OtaiMarks ?? null];
}

Deno.test("startOtoboEmulator({ faults }) fails requests before, during or after the work", async (t) => {
  const cases: [string, "before" | "after" | "partial", (string | number | null)[][]][] = [
    ["before", "before", [["new", 1, null]]],
    ["after", "after", [["open", 2, "triage"]]],
    // Part-way: the ticket's fields, or the fields and the article, but not the mark.
    ["partial", "partial", [["open", 1, null], ["open", 2, null]]],
  ];
  for (const [name, when, allowed] of cases) {
    await t.step(`an HTTP 500 ${name} the work`, async () => {
      await using emu = await startOtoboEmulator({ faults: { error: 1, when, seed: 3 } });
      const res = await call(emu, "PATCH", "/Ticket/1", UPDATE);
      strictEqual(res.status, 500);
      match(String(res.body.faultstring), /TicketUpdate: (crashed|the process died)/);
      const now = shape(emu.tickets.get(1)!);
      strictEqual(allowed.some((a) => JSON.stringify(a) === JSON.stringify(now)), true, `${now}`);
    });
  }
  await t.step("a dropped connection after the work leaves no answer", async () => {
    await using emu = await startOtoboEmulator({ faults: { drop: 1, when: "after" } });
    await rejects(call(emu, "PATCH", "/Ticket/1", UPDATE), /error reading a body/);
    deepStrictEqual(shape(emu.tickets.get(1)!), ["open", 2, "triage"]);
    strictEqual(emu.requests.log.at(-1)!.fault, "drop after");
  });
  await t.step("a slow answer comes after the work", async () => {
    await using emu = await startOtoboEmulator({ faults: { slow: 1, slow_ms: 5_000 } });
    await rejects(
      fetch(`${emu.baseUrl}/Ticket/1`, {
        method: "PATCH",
        body: JSON.stringify(UPDATE),
        signal: AbortSignal.timeout(100),
      }),
      (e: Error) => e.name === "TimeoutError",
    );
    deepStrictEqual(shape(emu.tickets.get(1)!), ["open", 2, "triage"]);
  });
  await t.step("operations limits them; faults can be switched off", async () => {
    await using emu = await startOtoboEmulator({ faults: { error: 1, operations: ["TicketGet"] } });
    strictEqual((await call(emu, "GET", "/Ticket", AUTH)).status, 200);
    strictEqual((await call(emu, "GET", "/Ticket/1", AUTH)).status, 500);
    emu.faults = undefined;
    strictEqual((await call(emu, "GET", "/Ticket/1", AUTH)).status, 200);
  });
});

Deno.test("startOtoboEmulator({ faults }) repeats a fault sequence for a seed", async () => {
  const run = async () => {
    await using emu = await startOtoboEmulator({ faults: { error: 0.3, drop: 0.1, seed: 42 } });
    for (let i = 0; i < 20; i++) await call(emu, "GET", "/Ticket", AUTH).catch(() => undefined);
    return emu.requests.log.map((r) => r.fault ?? "-");
  };
  const first = await run();
  deepStrictEqual(await run(), first);
  strictEqual(first.some((f) => f !== "-"), true);
});
