import { deepStrictEqual, match, rejects, strictEqual } from "node:assert/strict";
import { testPipe } from "@otai/cli/testing";
import plugin from "./mod.ts";

Deno.test("plugin manifest asks for net and env and registers Client and three pipes", () => {
  strictEqual(plugin.name, "otobo-znuny");
  deepStrictEqual(plugin.permissions, { net: true, env: true });
  deepStrictEqual(plugin.injectables.map((i) => `${i.kind}:${i.name}`), [
    "service:Client",
    "pipe:Ping",
    "pipe:Search",
    "pipe:AddNote",
  ]);
});

Deno.test("Ping reports the login, or a failure when asked not to fail", async (t) => {
  await t.step("ok", async () => {
    const result = await testPipe(plugin, "Ping", {
      services: { tickets: { ping: () => ({ user: "otai", session: false }) } },
    });
    deepStrictEqual(result, {
      status: "succeeded",
      data: { ok: true, user: "otai", session: false },
    });
  });
  const broken = {
    ping() {
      throw new Error("Cannot log in to OTOBO");
    },
  };
  await t.step("fails the step by default", async () => {
    const result = await testPipe(plugin, "Ping", { services: { tickets: broken } });
    strictEqual(result.status, "failed");
  });
  await t.step("fail: false", async () => {
    const result = await testPipe(plugin, "Ping", {
      params: { fail: false },
      services: { tickets: broken },
    });
    deepStrictEqual(result, {
      status: "succeeded",
      data: { ok: false, error: "Cannot log in to OTOBO" },
    });
  });
});

Deno.test("Search passes the query to the injected ticket system", async (t) => {
  const seen: unknown[] = [];
  const tickets = { search: (q: unknown) => (seen.push(q), [{ id: "1" }]) };
  await t.step("params with defaults", async () => {
    const result = await testPipe(plugin, "Search", {
      params: { state: "new", since: "2025-03-01T00:00:00Z" },
      services: { tickets },
    });
    deepStrictEqual(result, { status: "succeeded", data: { tickets: [{ id: "1" }], count: 1 } });
    deepStrictEqual(seen, [{ limit: 50, offset: 0, state: "new", since: "2025-03-01T00:00:00Z" }]);
  });
  await t.step("unprocessed: a mark key", async () => {
    seen.length = 0;
    await testPipe(plugin, "Search", {
      params: { unprocessed: "triage-v1" },
      services: { tickets },
    });
    deepStrictEqual(seen, [{ limit: 50, offset: 0, unprocessed: "triage-v1" }]);
    const bad = await testPipe(plugin, "Search", {
      params: { unprocessed: "a,b" },
      services: { tickets },
    });
    strictEqual(bad.status, "failed");
  });
  await t.step("invalid params", async () => {
    const result = await testPipe(plugin, "Search", {
      params: { since: "last week", limit: 0, colour: "red" },
      services: { tickets },
    });
    strictEqual(result.status, "failed");
    if (result.status === "failed") match(result.error.message, /ISO 8601/);
  });
  await t.step("no ticket system injected", async () => {
    await rejects(
      testPipe(plugin, "Search", {}),
      /otobo-znuny:Search takes the service "tickets" \(an otobo-znuny:Client\), which this step does not inject; add injects/,
    );
  });
});

Deno.test("AddNote adds a note by ticket id", async () => {
  const seen: unknown[] = [];
  const result = await testPipe(plugin, "AddNote", {
    params: { id: 7, body: "Checked." },
    services: { tickets: { addNote: (...args: unknown[]) => void seen.push(args) } },
  });
  deepStrictEqual(result, { status: "succeeded", data: { id: "7", added: true } });
  deepStrictEqual(seen, [["7", { body: "Checked." }]]);
});
