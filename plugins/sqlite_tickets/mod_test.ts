import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { testPipe, testService } from "@otai/cli/testing";
import plugin from "./mod.ts";
import { tempStore } from "./_testing.ts";

Deno.test("sqlite-tickets manifest asks for read and write and registers its injectables", () => {
  deepStrictEqual(plugin.permissions, { read: true, write: true });
  deepStrictEqual(plugin.injectables.map((i) => [i.kind, i.name]), [
    ["service", "Tickets"],
    ["pipe", "Import"],
    ["pipe", "Revert"],
    ["pipe", "History"],
  ]);
});

Deno.test("sqlite-tickets Import, History and Revert pipes drive the injected store", async (t) => {
  await using s = await tempStore({ actor: "pipes" });
  const services = { tickets: s.store };
  await t.step("Import returns the import result", async () => {
    const file = await s.write("in.txt", '{"id":"1","subject":"Hi","queue":"IT"}\n{bad\n');
    const r = await testPipe(plugin, "Import", {
      params: { path: file, format: "jsonl" },
      services,
    });
    deepStrictEqual(r.status, "succeeded");
    const data = (r as { data: { imported: number; skipped: number; errors: unknown[] } }).data;
    deepStrictEqual([data.imported, data.skipped], [1, 1]);
    match(JSON.stringify(data.errors), /^\[\{"line":2,"message":"the line is not valid JSON/);
  });
  s.store.update("1", { queue: "HR" }, { run: "r1" });
  await t.step("History returns { rows }", async () => {
    const r = await testPipe(plugin, "History", { params: { run: "r1" }, services });
    const rows = (r as { data: { rows: { field: string; new_value: unknown }[] } }).data.rows;
    deepStrictEqual(rows.map((h) => [h.field, h.new_value]), [["queue", "HR"]]);
  });
  await t.step("Revert returns the counts", async () => {
    const r = await testPipe(plugin, "Revert", { params: { run: "r1" }, services });
    const data = (r as { data: Record<string, unknown> }).data;
    deepStrictEqual([data.reverted, data.conflicts, data.tickets], [1, 0, 1]);
    strictEqual(s.store.get("1")!.queue, "IT");
  });
});

Deno.test("sqlite-tickets pipes validate params and name a missing injection", async (t) => {
  await t.step("Revert needs run or since", async () => {
    const r = await testPipe(plugin, "Revert", { params: {}, services: { tickets: {} } });
    strictEqual(r.status, "failed");
    match((r as { error: { message: string } }).error.message, /give run .* or since/);
  });
  await t.step("Revert checks since is a time", async () => {
    const r = await testPipe(plugin, "Revert", {
      params: { since: "soon" },
      services: { tickets: {} },
    });
    match((r as { error: { message: string } }).error.message, /ISO 8601 time/);
  });
  await t.step("History caps limit", async () => {
    const r = await testPipe(plugin, "History", {
      params: { limit: 20_000 },
      services: { tickets: {} },
    });
    strictEqual(r.status, "failed");
  });
  await t.step("Import without an injected store, refused as otai check refuses it", async () => {
    await rejects(
      testPipe(plugin, "Import", { params: { path: "x.csv" } }),
      /takes the service "tickets" \(a sqlite-tickets:Tickets\), which this step does not inject; add injects: \{ tickets: <id of a sqlite-tickets:Tickets service> \}/,
    );
  });
});

Deno.test("sqlite-tickets Tickets service validates its params", async () => {
  let error: Error | undefined;
  try {
    await testService(plugin, "Tickets", { actor: "x" });
  } catch (e) {
    error = e as Error;
  }
  ok(error);
  match(error.message, /invalid params/);
});
