import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { testService } from "@otai/cli/testing";
import plugin from "./mod.ts";
import { emulator, failure, notesOf, PASSWORD, system } from "./_testing.ts";

Deno.test("Client search/get/update/addNote work through the stock web service", async (t) => {
  await using emu = await emulator();
  const { tickets } = system(emu, { page_size: 2 });
  await t.step("search() is GET /Ticket with query parameters, oldest change first", async () => {
    const found = await tickets.search({ state: "new", queue: "Billing", limit: 10 });
    deepStrictEqual(found.map((x) => x.id), ["3", "9"]);
    strictEqual(found[0]!.subject, "Invoice INV-2025-0193 charged twice");
    deepStrictEqual(found[0]!.tags, ["billing", "refund"]);
    const searches = emu.requests.log.filter((r) => r.operation === "TicketSearch");
    deepStrictEqual(searches.map((r) => `${r.method} ${r.route}`), ["GET /Ticket"]);
  });
  await t.step("search() pages with offset and limit across TicketGet batches", async () => {
    const all = await tickets.search({ state: "new", limit: 50 });
    const page = await tickets.search({ state: "new", limit: 3, offset: 2 });
    deepStrictEqual(page.map((x) => x.id), all.slice(2, 5).map((x) => x.id));
    const since = await tickets.search({ since: "2025-03-03T14:00:00Z", limit: 10 });
    ok(since.length > 0 && since.every((x) => x.updated_at >= "2025-03-03T14:00:00"));
  });
  await t.step("get() reads TicketGet's numbers as the unified ticket, or null", async () => {
    const ticket = await tickets.get("5");
    strictEqual(ticket!.id, "5");
    deepStrictEqual(ticket!.notes, [{
      body: "Credential manager had a stale token; cleared it remotely. Waiting for user feedback.",
      subject: "Note",
      author: "Sam Agent",
      created_at: "2025-03-01T11:30:00.000Z",
    }]);
    strictEqual(await tickets.get("999"), null);
  });
  await t.step("ids are whole numbers: 7abc is no ticket, though OTOBO reads it as 7", async () => {
    const before = emu.requests.count;
    strictEqual(await tickets.get("7abc"), null);
    await rejects(tickets.update("7abc", { state: "open" }), /a ticket id is a whole number/);
    strictEqual(emu.requests.count, before);
    strictEqual(emu.tickets.get(7)!.State, "closed successful");
  });
  await t.step("update() changes the ticket and returns it", async () => {
    const updated = await tickets.update("1", {
      queue: "Misc",
      priority: "4 high",
      state: "open",
      type: "Problem",
      tags: ["vpn"],
    });
    const stored = emu.tickets.get(1)!;
    deepStrictEqual([stored.Queue, stored.Priority, stored.State, stored.Type], [
      "Misc",
      "4 high",
      "open",
      "Problem",
    ]);
    deepStrictEqual(stored.DynamicField.Tags, ["vpn"]);
    deepStrictEqual([updated.queue, updated.state, updated.tags], ["Misc", "open", ["vpn"]]);
  });
  await t.step("update() to a pending state sends a PendingTime", async () => {
    await tickets.update("2", { state: "pending reminder", queue: "Misc" });
    const stored = emu.tickets.get(2)!;
    deepStrictEqual([stored.State, stored.Queue], ["pending reminder", "Misc"]);
    const until = Date.parse(`${stored.PendingTime!.replace(" ", "T")}Z`);
    ok(Math.abs(until - (Date.now() + 24 * 3600_000)) < 60_000, stored.PendingTime);
  });
  await t.step("addNote() adds an internal article that notifies no agent", async () => {
    await tickets.addNote("4", { body: "Sent a replacement toner.", subject: "Triage" });
    const article = emu.tickets.get(4)!.Articles.at(-1)!;
    deepStrictEqual(
      [article.Subject, article.Body, article.IsVisibleForCustomer, article.CommunicationChannel],
      ["Triage", "Sent a replacement toner.", 0, "Internal"],
    );
    deepStrictEqual(emu.notifications, []);
  });
  await t.step("OTOBO's refusals name the code and what to do", async () => {
    match(
      await failure(tickets.update("999", { state: "open" })),
      /^Cannot update ticket "999" in OTOBO: there is no such ticket that "otai" may see/,
    );
    match(
      await failure(tickets.update("3", { queue: "Nowhere" })),
      /TicketUpdate\.InvalidParameter \(TicketUpdate: Ticket->QueueID or Ticket->Queue parameter is invalid!\); use a queue/,
    );
  });
});

Deno.test("Client notes use the configured channel, time unit and notifications", async (t) => {
  await t.step("a site with NeedAccountedTime: without note_time_unit the note fails", async () => {
    await using emu = await emulator({ needAccountedTime: true });
    match(
      await failure(system(emu).tickets.addNote("1", { body: "x" })),
      /Article->TimeUnit is required by sysconfig option!\); .*set note_time_unit/,
    );
    await system(emu, { note_time_unit: 0 }).tickets.addNote("1", { body: "x" });
    deepStrictEqual(notesOf(emu, 1), ["x"]);
  });
  await t.step("note_channel Phone and notify_agents", async () => {
    await using emu = await emulator();
    await system(emu, { note_channel: "Phone", notify_agents: true }).tickets.addNote("1", {
      body: "y",
    });
    strictEqual(emu.tickets.get(1)!.Articles.at(-1)!.CommunicationChannel, "Phone");
    strictEqual(emu.notifications.length, 1);
  });
  await t.step("Chat is refused when the service is created", async () => {
    await rejects(
      testService(plugin, "Client", {
        base_url: "http://127.0.0.1:1/x",
        user: "otai",
        password_env: "X",
        note_channel: "Chat",
      }),
      /note_channel.*must be Internal, Phone or Email/s,
    );
  });
});

Deno.test("Client searches on POST /TicketSearch only where the route exists", async (t) => {
  await t.step("search_route POST /TicketSearch on a web service that has it", async () => {
    await using emu = await emulator({ postSearch: true });
    const { tickets } = system(emu, { search_route: "POST /TicketSearch" });
    deepStrictEqual(
      (await tickets.search({ queue: "Billing", state: "new", limit: 5 })).map((x) => x.id),
      [
        "3",
        "9",
      ],
    );
    strictEqual(emu.requests.log.find((r) => r.operation === "TicketSearchPOST")?.method, "POST");
  });
  await t.step("on the stock web service it says to use the stock route", async () => {
    await using emu = await emulator();
    const { tickets } = system(emu, { search_route: "POST /TicketSearch" });
    match(
      await failure(tickets.search({ limit: 1 })),
      /answered HTTP 500 \(HTTP::REST Error while determine Operation .*\); the web service has no route for TicketSearch: use search_route: "GET \/Ticket"/,
    );
  });
});

Deno.test("Client logs in again when its session has died", async () => {
  await using emu = await emulator({ sessionTtlMs: 100 });
  const { tickets } = system(emu, { session: true });
  strictEqual((await tickets.search({ limit: 1 })).length, 1);
  await new Promise((r) => setTimeout(r, 150));
  strictEqual((await tickets.search({ limit: 1 })).length, 1);
  const ops = emu.requests.log.map((r) => `${r.operation}${r.errorCode ? `:${r.errorCode}` : ""}`);
  deepStrictEqual(ops, [
    "SessionCreate",
    "TicketSearch",
    "TicketGet",
    "TicketSearch:TicketSearch.AuthFail",
    "SessionCreate",
    "TicketSearch",
    "TicketGet",
  ]);
  deepStrictEqual(await tickets.ping(), { user: "otai", session: true });
});

Deno.test("Client with session: true sends the password once, and never shows a secret", async () => {
  await using emu = await emulator();
  const { tickets } = system(emu, { session: true });
  await tickets.search({ limit: 3 });
  await tickets.addNote("1", { body: "x" });
  const withPassword = emu.debugger.filter((d) => d.data.includes(PASSWORD));
  deepStrictEqual(withPassword.map((d) => d.operation), ["SessionCreate"]);
  const session = /"SessionID":"(\w+)"/.exec(JSON.stringify(emu.debugger))?.[1] ??
    /SessionID=(\w+)/.exec(JSON.stringify(emu.debugger))![1]!;
  emu.faults = { error: 1, operations: ["TicketGet"] };
  const message = await failure(tickets.get("1"), [PASSWORD, session]);
  match(message, /^Cannot get ticket "1" in OTOBO: ".*" answered HTTP 500/);
});
