import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { openConfig, type RunnerResult } from "../mod.ts";
import { type OtoboEmulator, startOtoboEmulator } from "../examples/otobo/emulator.ts";
import { fixture, ROOT, stepOf, tempConfig } from "./_helpers.ts";

const PLUGIN = `${ROOT}plugins/otobo_znuny/mod.ts`;
const ENV = "OTAI_TEST_OTOBO_PASSWORD";
const PASSWORD = "pw-Secret-42";

/** A config granting the plugin one host:port and the password variable. */
function config(emu: OtoboEmulator, options: { grant?: string; session?: boolean }, run: string) {
  const port = new URL(emu.url).port;
  return `plugins:
  - from: ${PLUGIN}
    permissions:
      net: ["${options.grant ?? `127.0.0.1:${port}`}"]
      env: ["${ENV}"]
  - from: ${fixture("probe.ts")}
    permissions: { read: ["./none"], env: ["OTAI_TEST_NONE"], net: ["127.0.0.1:1"] }
services:
  - id: otobo
    use: otobo-znuny:Client
    params:
      base_url: ${emu.baseUrl}
      user: otai
      password_env: ${ENV}
      session: ${options.session ?? false}
orchestrator:
  runners:
    - id: main
      run:
${run}`;
}

/** Runs a config with the password variable set to `password`, then unsets it. */
async function runWith(text: string, password = PASSWORD): Promise<RunnerResult[]> {
  await using cfg = await tempConfig(text);
  Deno.env.set(ENV, password);
  try {
    using app = await openConfig(cfg.file);
    return await app.run();
  } finally {
    Deno.env.delete(ENV);
  }
}

Deno.test("otobo-znuny searches, gets, updates and notes tickets from its sandbox", async (t) => {
  await using emu = await startOtoboEmulator({ users: [{ login: "otai", password: PASSWORD }] });
  const results = await runWith(config(
    emu,
    {},
    `        - { id: ping, use: "otobo-znuny:Ping", injects: { tickets: otobo } }
        - id: search
          use: "otobo-znuny:Search"
          injects: { tickets: otobo }
          params: { state: new, queue: Billing, limit: 5 }
        - id: get
          use: "probe:Call"
          injects: { kv: otobo }
          params: { service: kv, method: get, args: ["\${{ steps.search.data.tickets[0].id }}"] }
        - id: update
          use: "probe:Call"
          injects: { kv: otobo }
          params:
            service: kv
            method: update
            args: ["3", { queue: Misc, state: open, priority: "5 very high", tags: [urgent] }]
        - id: note
          use: "otobo-znuny:AddNote"
          injects: { tickets: otobo }
          params: { id: "\${{ steps.update.data.value.id }}", body: "Duplicate charge confirmed." }
        - { id: missing, use: "probe:Call", injects: { kv: otobo }, params: { service: kv, method: get, args: ["999"] } }
`,
  ));
  await t.step("every step succeeded", () => {
    deepStrictEqual(
      results[0]!.steps.map((s) => [s.id, s.status, s.error]),
      ["ping", "search", "get", "update", "note", "missing"].map((
        id,
      ) => [id, "succeeded", undefined]),
    );
  });
  await t.step("Ping and Search", () => {
    deepStrictEqual(stepOf(results, "ping").data, { ok: true, user: "otai", session: false });
    const data = stepOf(results, "search").data as { tickets: { id: string }[]; count: number };
    deepStrictEqual(data.tickets.map((x) => x.id), ["3", "9"]);
    // Ping and Search use the stock web service's search route: GET /Ticket with a query.
    const searches = emu.requests.log.filter((r) => r.operation === "TicketSearch");
    deepStrictEqual(searches.map((r) => `${r.method} ${r.route}`), ["GET /Ticket", "GET /Ticket"]);
  });
  await t.step("get() returns the unified ticket; null for an unknown id", () => {
    const ticket = (stepOf(results, "get").data as { value: Record<string, unknown> }).value;
    deepStrictEqual(
      [ticket.id, ticket.subject, ticket.queue, ticket.customer, ticket.updated_at],
      ["3", "Invoice INV-2025-0193 charged twice", "Billing", "li.wei", "2025-03-03T09:45:30.000Z"],
    );
    deepStrictEqual(stepOf(results, "missing").data, { value: null });
  });
  await t.step("update() and AddNote changed OTOBO's store", () => {
    const stored = emu.tickets.get(3)!;
    deepStrictEqual([stored.Queue, stored.State, stored.Priority], ["Misc", "open", "5 very high"]);
    deepStrictEqual(stored.DynamicField.Tags, ["urgent"]);
    const note = stored.Articles.at(-1)!;
    deepStrictEqual([note.Body, note.IsVisibleForCustomer, note.CommunicationChannel], [
      "Duplicate charge confirmed.",
      0,
      "Internal",
    ]);
    const updated = (stepOf(results, "update").data as { value: Record<string, unknown> }).value;
    deepStrictEqual([updated.queue, updated.priority, updated.tags], ["Misc", "5 very high", [
      "urgent",
    ]]);
  });
  await t.step("the password went over HTTP only, never into results", () => {
    ok(!JSON.stringify(results).includes(PASSWORD));
    ok(!JSON.stringify(emu.requests.log).includes(PASSWORD));
  });
});

Deno.test("otobo-znuny logs in again when its session expires", async () => {
  await using emu = await startOtoboEmulator({
    users: [{ login: "otai", password: PASSWORD }],
    sessionTtlMs: 300,
  });
  const results = await runWith(config(
    emu,
    { session: true },
    `        - { id: first, use: "otobo-znuny:Search", injects: { tickets: otobo }, params: { limit: 1 } }
        - { id: wait, use: "probe:Sleep", params: { ms: 400 } }
        - { id: second, use: "otobo-znuny:Search", injects: { tickets: otobo }, params: { limit: 1 } }
`,
  ));
  strictEqual(results[0]!.status, "succeeded", JSON.stringify(results[0]!.steps));
  strictEqual((stepOf(results, "second").data as { count: number }).count, 1);
  deepStrictEqual(
    emu.requests.log.filter((r) => r.operation !== "TicketGet").map((r) =>
      r.errorCode ?? r.operation
    ),
    ["SessionCreate", "TicketSearch", "TicketSearch.AuthFail", "SessionCreate", "TicketSearch"],
  );
});

Deno.test("otobo-znuny reports a wrong password clearly, without the password", async () => {
  await using emu = await startOtoboEmulator({ users: [{ login: "otai", password: PASSWORD }] });
  const wrong = "wrong-Secret-77";
  const results = await runWith(
    config(
      emu,
      {},
      `        - { id: ping, use: "otobo-znuny:Ping", injects: { tickets: otobo } }\n`,
    ),
    wrong,
  );
  const ping = stepOf(results, "ping");
  strictEqual(ping.status, "failed");
  match(ping.error!, /Cannot log in to OTOBO as "otai": TicketSearch\.AuthFail/);
  match(ping.error!, new RegExp(`check the password in env var "${ENV}"`));
  ok(!JSON.stringify(results).includes(wrong));
  ok(!JSON.stringify(results).includes(PASSWORD));
});

Deno.test("otobo-znuny granted another port is denied, naming the grant to change", async () => {
  await using emu = await startOtoboEmulator({ users: [{ login: "otai", password: PASSWORD }] });
  const other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const otherPort = other.addr.port;
  other.close();
  const results = await runWith(config(
    emu,
    { grant: `127.0.0.1:${otherPort}` },
    `        - { id: ping, use: "otobo-znuny:Ping", injects: { tickets: otobo } }\n`,
  ));
  const ping = stepOf(results, "ping");
  strictEqual(ping.status, "failed");
  const host = new URL(emu.url).host.replaceAll(".", "\\.");
  match(ping.error!, new RegExp(`plugin "otobo-znuny" was denied net access to "${host}"`));
  match(ping.error!, /grant it under plugins\[0\]\.permissions\.net in .*config\.yml:2/);
  strictEqual(emu.requests.count, 0);
});
