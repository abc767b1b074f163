import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { testService } from "../../testing.ts";
import { type OtoboEmulatorOptions, startOtoboEmulator } from "../../examples/otobo/emulator.ts";
import plugin from "./mod.ts";

const PASSWORD = "s3cret-Pa55!";
const ENV = "OTOBO_TEST_PASSWORD";
const USERS = [{ login: "otai", password: PASSWORD, full_name: "otai Bot" }];

async function client(params: Record<string, unknown>, password = PASSWORD) {
  Deno.env.set(ENV, password);
  try {
    return await testService(plugin, "Client", { user: "otai", password_env: ENV, ...params });
  } finally {
    Deno.env.delete(ENV);
  }
}

async function failure(promise: Promise<unknown>, secret = PASSWORD): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const message = (e as Error).message;
    ok(!message.includes(secret), `the password leaked: ${message}`);
    ok(!message.includes(encodeURIComponent(secret)), `the password leaked: ${message}`);
    return message;
  }
  throw new Error("expected a failure");
}

async function emulator(options: OtoboEmulatorOptions = {}) {
  return await startOtoboEmulator({ users: USERS, ...options });
}

Deno.test("Client search/get/update/addNote work through OTOBO's REST API", async (t) => {
  await using emu = await emulator();
  const tickets = await client({ base_url: emu.baseUrl, page_size: 2 });
  await t.step("search() maps state, queue and limit, oldest change first", async () => {
    const found = await tickets.search!({ state: "new", queue: "Billing", limit: 10 }) as {
      id: string;
      subject: string;
      tags: string[];
    }[];
    deepStrictEqual(found.map((x) => x.id), ["3", "9"]);
    strictEqual(found[0]!.subject, "Invoice INV-2025-0193 charged twice");
    deepStrictEqual(found[0]!.tags, ["billing", "refund"]);
  });
  await t.step("search() pages with offset and limit across TicketGet batches", async () => {
    const all = await tickets.search!({ state: "new", limit: 50 }) as { id: string }[];
    const page = await tickets.search!({ state: "new", limit: 3, offset: 2 }) as { id: string }[];
    deepStrictEqual(page.map((x) => x.id), all.slice(2, 5).map((x) => x.id));
    const since = await tickets.search!({ since: "2025-03-03T14:00:00Z", limit: 10 }) as {
      updated_at: string;
    }[];
    ok(since.length > 0 && since.every((x) => x.updated_at >= "2025-03-03T14:00:00"));
  });
  await t.step("get() returns the unified ticket, or null", async () => {
    const ticket = await tickets.get!("5") as Record<string, unknown>;
    deepStrictEqual(ticket.notes, [{
      body: "Credential manager had a stale token; cleared it remotely. Waiting for user feedback.",
      subject: "Note",
      author: "Sam Agent",
      created_at: "2025-03-01T11:30:00.000Z",
    }]);
    strictEqual(ticket.customer, "pieter.devries");
    strictEqual(await tickets.get!("999"), null);
    strictEqual(await tickets.get!("abc"), null);
  });
  await t.step("update() changes the ticket in OTOBO and returns it", async () => {
    const updated = await tickets.update!("1", {
      queue: "Misc",
      priority: "4 high",
      state: "open",
      type: "Problem",
      tags: ["vpn"],
    }) as Record<string, unknown>;
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
  await t.step("addNote() adds an internal article", async () => {
    await tickets.addNote!("2", { body: "Sent a replacement toner.", subject: "Triage" });
    const article = emu.tickets.get(2)!.Articles.at(-1)!;
    deepStrictEqual(
      [article.Subject, article.Body, article.IsVisibleForCustomer, article.CommunicationChannel],
      ["Triage", "Sent a replacement toner.", 0, "Internal"],
    );
    const notes = (await tickets.get!("2") as { notes: { body: string }[] }).notes;
    strictEqual(notes.at(-1)!.body, "Sent a replacement toner.");
  });
  await t.step("OTOBO's refusals name the code and what to do", async () => {
    match(
      await failure(tickets.update!("999", { state: "open" })),
      /^Cannot update ticket "999" in OTOBO: TicketUpdate\.AccessDenied .*check that the ticket exists and that "otai" has rw permission/,
    );
    match(
      await failure(tickets.update!("3", { queue: "Nowhere" })),
      /TicketUpdate\.InvalidParameter \(TicketUpdate: Ticket->QueueID or Ticket->Queue parameter is invalid!\); use a queue/,
    );
  });
});

Deno.test("Client logs in again once when its session has expired", async () => {
  await using emu = await emulator({ sessionTtlMs: 100 });
  const tickets = await client({ base_url: emu.baseUrl, session: true });
  strictEqual((await tickets.search!({ limit: 1 }) as unknown[]).length, 1);
  await new Promise((r) => setTimeout(r, 150));
  strictEqual((await tickets.search!({ limit: 1 }) as unknown[]).length, 1);
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
  deepStrictEqual(await tickets.ping!(), { user: "otai", session: true });
});

Deno.test("Client errors say what to do and never hold the password", async (t) => {
  await using emu = await emulator();
  for (const session of [false, true]) {
    await t.step(`a wrong password (session: ${session})`, async () => {
      const wrong = "wr0ng-Pa55!";
      const tickets = await client({ base_url: emu.baseUrl, session }, wrong);
      const message = await failure(tickets.search!({ limit: 1 }), wrong);
      match(message, /^Cannot log in to OTOBO as "otai": (TicketSearch|SessionCreate)\.AuthFail/);
      match(message, /check the password in env var "OTOBO_TEST_PASSWORD"/);
    });
  }
  await t.step("a host that does not answer", async () => {
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = closed.addr.port;
    closed.close();
    const tickets = await client({ base_url: `http://127.0.0.1:${port}/otobo/x/Webservice/Y` });
    match(
      await failure(tickets.get!("1")),
      new RegExp(
        `^Cannot reach OTOBO at "http://127.0.0.1:${port}" to get ticket "1": .*refused.*; check base_url`,
      ),
    );
  });
  await t.step("a server slower than timeout_ms", async () => {
    const slow = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async () => {
      await new Promise((r) => setTimeout(r, 300));
      return new Response("{}");
    });
    try {
      const tickets = await client({
        base_url: `http://127.0.0.1:${slow.addr.port}/otobo/nph-genericinterface.pl/Webservice/W`,
        timeout_ms: 50,
      });
      match(
        await failure(tickets.search!({ limit: 1 })),
        /did not answer TicketSearch within 50 ms; check the server's load or raise timeout_ms/,
      );
    } finally {
      await slow.shutdown();
    }
  });
  await t.step("an answer that is not JSON, e.g. a proxy's login page", async () => {
    const html = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("<html>Sign in</html>"),
    );
    try {
      const tickets = await client({ base_url: `http://127.0.0.1:${html.addr.port}/x` });
      match(
        await failure(tickets.search!({ limit: 1 })),
        /did not answer with a JSON object; check that base_url points at a GenericInterface/,
      );
    } finally {
      await html.shutdown();
    }
  });
  await t.step("a web service name OTOBO does not know", async () => {
    const tickets = await client({ base_url: emu.baseUrl.replace(/\w+$/, "Nope") });
    match(
      await failure(tickets.search!({ limit: 1 })),
      /answered HTTP 500; check that base_url names an existing, valid web service/,
    );
  });
  await t.step("a missing password variable fails the service creation", async () => {
    await rejects(
      testService(plugin, "Client", {
        base_url: emu.baseUrl,
        user: "otai",
        password_env: "OTOBO_TEST_UNSET",
      }),
      /env var "OTOBO_TEST_UNSET" is not set; set it to the password of agent "otai"/,
    );
  });
  await t.step("params are checked", async () => {
    await rejects(
      testService(plugin, "Client", { base_url: "ftp://x", user: "", password_env: "a secret" }),
      /must be the web service URL.*must name the agent login.*must be the name of an environment variable/,
    );
  });
});

Deno.test("Client tries a read once more when OTOBO answers HTTP 500, never a write", async () => {
  await using emu = await emulator({ failEveryNth: 2 });
  const tickets = await client({ base_url: emu.baseUrl });
  // 1: TicketSearch, 2: TicketGet fails, 3: TicketGet again.
  strictEqual((await tickets.search!({ limit: 1 }) as unknown[]).length, 1);
  // 4: TicketUpdate fails and is not repeated.
  match(
    await failure(tickets.addNote!("1", { body: "x" })),
    /^Cannot add a note to ticket "1" in OTOBO: ".*" answered HTTP 500 \(TicketUpdate: injected failure\)/,
  );
  strictEqual(emu.tickets.get(1)!.Articles.length, 1);
});

Deno.test("OTOBO search refuses filters it cannot honour, such as unprocessed", async () => {
  const { rejects } = await import("node:assert/strict");
  const { createTicketSystem } = await import("./_ticket_system.ts");
  const system = createTicketSystem(
    { call: () => Promise.reject(new Error("no network in this test")) } as never,
    {} as never,
  );
  await rejects(
    Promise.resolve(system.search({ limit: 5, unprocessed: "triage" } as never)),
    /does not support "unprocessed"; OTOBO keeps no processed marks/,
  );
});
