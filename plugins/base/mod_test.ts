import { deepStrictEqual, match, rejects, strictEqual } from "node:assert/strict";
import type { Ticket } from "@otai/cli/plugin";
import { fakeTicketSystem, testPipe } from "@otai/cli/testing";
import plugin from "./mod.ts";

function ticket(id: string, queue = "Inbox"): Ticket {
  return {
    id,
    subject: `Ticket ${id}`,
    body: "",
    queue,
    priority: "normal",
    tags: [],
    notes: [],
    updated_at: "2025-05-01T12:00:00.000Z",
  };
}

/**
 * A ticket system recording its calls; `apply` (with marks) only when asked, as the
 * first-party ticket systems have it and a third-party one may not.
 */
function fakeTickets(options: { apply?: boolean; marked?: string[]; failOn?: string } = {}) {
  const calls: unknown[][] = [];
  const marks = new Set(options.marked ?? []);
  const check = (id: string) => {
    if (id === options.failOn) throw new Error(`Cannot update ticket "${id}": no such ticket`);
  };
  const service: Record<string, (...args: never[]) => unknown> = {
    search(query: unknown) {
      calls.push(["search", query]);
      return [ticket("1"), ticket("2", "IT")];
    },
    update(id: string, changes: unknown) {
      calls.push(["update", id, changes]);
      check(id);
      return ticket(id);
    },
    addNote(id: string, note: unknown) {
      calls.push(["addNote", id, note]);
      check(id);
    },
  };
  if (options.apply) {
    service.apply = (id: string, action: { mark?: string }) => {
      calls.push(["apply", id, action]);
      check(id);
      const key = `${id}:${action.mark}`;
      if (action.mark !== undefined && marks.has(key)) {
        return { applied: false, ticket: ticket(id) };
      }
      if (action.mark !== undefined) marks.add(key);
      return { applied: true, ticket: ticket(id) };
    };
  }
  return { service, calls };
}

function failed(message: string) {
  return { status: "failed", error: { name: "Error", message } };
}

Deno.test("base plugin asks for no permissions and registers its pipes", () => {
  strictEqual(plugin.name, "base");
  deepStrictEqual(plugin.permissions, {});
  deepStrictEqual(plugin.injectables.map((i) => `${i.kind}:${i.name}`), [
    "pipe:FetchTickets",
    "pipe:UpdateTicket",
    "pipe:UpdateTickets",
    "pipe:AddNote",
    "pipe:Filter",
    "pipe:Set",
    "pipe:Log",
    "pipe:Tally",
    "pipe:Report",
  ]);
});

Deno.test("FetchTickets passes only the filters given", async (t) => {
  await t.step("the default limit", async () => {
    const { service, calls } = fakeTickets();
    const result = await testPipe(plugin, "FetchTickets", { services: { tickets: service } });
    deepStrictEqual(result, {
      status: "succeeded",
      data: { tickets: [ticket("1"), ticket("2", "IT")], count: 2 },
    });
    deepStrictEqual(calls, [["search", { limit: 100 }]]);
  });
  await t.step("every filter", async () => {
    const { service, calls } = fakeTickets();
    const params = {
      queue: "IT",
      state: "new",
      since: "2025-05-01T00:00:00Z",
      limit: 10,
      offset: 20,
      unprocessed: "triage",
    };
    await testPipe(plugin, "FetchTickets", { params, services: { tickets: service } });
    deepStrictEqual(calls, [["search", params]]);
  });
});

Deno.test("FetchTickets refuses bad params and a missing ticket system", async (t) => {
  const { service } = fakeTickets();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ limit: 0 }, /^invalid params: limit: give limit as a whole number from 1 to 10000/],
    [{ limit: 2.5 }, /give limit as a whole number from 1 to 10000; page with offset for more/],
    [{ since: "yesterday" }, /give since as an ISO 8601 time/],
    [{ offset: -1 }, /give offset as a whole number of 0 or more/],
  ];
  for (const [params, message] of cases) {
    await t.step(JSON.stringify(params), async () => {
      const r = await testPipe(plugin, "FetchTickets", { params, services: { tickets: service } });
      strictEqual(r.status, "failed");
      match(r.status === "failed" ? r.error.message : "", message);
    });
  }
  await t.step(
    "no tickets injected, or another name: refused as otai check refuses it",
    async () => {
      await rejects(
        testPipe(plugin, "FetchTickets"),
        new TypeError(
          'Cannot test pipe "FetchTickets": base:FetchTickets takes the service "tickets" (a ' +
            "TicketSystem), which this step does not inject; add injects: { tickets: <id of a " +
            "TicketSystem service> }",
        ),
      );
      await rejects(
        testPipe(plugin, "FetchTickets", { services: { tikets: service } }),
        /takes no service "tikets"; did you mean "tickets"\?/,
      );
    },
  );
  await t.step("a service whose search() is not a ticket search", async () => {
    const r = await testPipe(plugin, "FetchTickets", {
      services: { tickets: { search: () => ({ rows: [] }) } },
    });
    deepStrictEqual(r, {
      status: "failed",
      error: {
        name: "TypeError",
        message: "Cannot fetch tickets: the ticket system's search() returned object, not a " +
          "list; inject a ticket-system service as tickets",
      },
    });
  });
});

Deno.test("UpdateTicket applies atomically where the ticket system has apply()", async (t) => {
  const { service, calls } = fakeTickets({ apply: true, marked: ["9:triage"] });
  await t.step("a first update", async () => {
    const result = await testPipe(plugin, "UpdateTicket", {
      params: { id: 7, changes: { queue: "IT" }, note: { body: "Moved" }, mark: "triage" },
      services: { tickets: service },
    });
    deepStrictEqual(result, { status: "succeeded", data: { id: "7", applied: true } });
    deepStrictEqual(calls.splice(0), [["apply", "7", {
      changes: { queue: "IT" },
      note: { body: "Moved" },
      mark: "triage",
    }]]);
  });
  await t.step("a ticket that already has the mark", async () => {
    const result = await testPipe(plugin, "UpdateTicket", {
      params: { id: "9", changes: { queue: "IT" }, mark: "triage" },
      services: { tickets: service },
    });
    deepStrictEqual(result, { status: "succeeded", data: { id: "9", applied: false } });
  });
});

Deno.test("UpdateTicket uses update() and addNote() without apply()", async (t) => {
  await t.step("changes and a note", async () => {
    const { service, calls } = fakeTickets();
    const result = await testPipe(plugin, "UpdateTicket", {
      params: {
        id: "3",
        changes: { state: "open", tags: ["x"] },
        note: { body: "Hi", subject: "S" },
      },
      services: { tickets: service },
    });
    deepStrictEqual(result, { status: "succeeded", data: { id: "3", applied: true } });
    deepStrictEqual(calls, [
      ["update", "3", { state: "open", tags: ["x"] }],
      ["addNote", "3", { body: "Hi", subject: "S" }],
    ]);
  });
  await t.step("a mark fails clearly and changes nothing", async () => {
    const { service, calls } = fakeTickets();
    const result = await testPipe(plugin, "UpdateTicket", {
      params: { id: "3", changes: { queue: "IT" }, mark: "triage" },
      services: { tickets: service },
    });
    deepStrictEqual(
      result,
      failed(
        'Cannot update ticket "3": this ticket system cannot mark tickets as processed; drop ' +
          "mark: or use a ticket system that supports apply",
      ),
    );
    deepStrictEqual(calls, []);
  });
});

// testPipe reports issues without their path; the host adds it (see tests/base_test.ts).
Deno.test("UpdateTicket refuses bad params with what to do", async (t) => {
  const { service } = fakeTickets();
  const cases: [Record<string, unknown>, string][] = [
    [{}, 'give the ticket id as text, e.g. id: "${{ item.id }}"'],
    [
      { id: "1", changes: { queu: "IT" } },
      'cannot change "queu"; change only queue, ' +
      "priority, state, type, tags",
    ],
    [{ id: "1", changes: "IT" }, 'give changes as a map, e.g. { queue: "IT" }'],
    [
      { id: "1", changes: { tags: "a" } },
      'give tags as a list of text, e.g. tags: ["vpn"]',
    ],
    [{ id: "1", note: { body: "" } }, "give the note a non-empty body"],
    [{ id: "1", note: { text: "x" } }, "give the note's text as body"],
    [{ id: "1", mark: "" }, "give mark a non-empty key, e.g. mark: triage"],
  ];
  for (const [params, message] of cases) {
    await t.step(JSON.stringify(params), async () => {
      const r = await testPipe(plugin, "UpdateTicket", { params, services: { tickets: service } });
      strictEqual(r.status, "failed");
      match(r.status === "failed" ? r.error.message : "", new RegExp(RegExp.escape(message)));
    });
  }
});

Deno.test("UpdateTickets goes on past a failed ticket", async (t) => {
  await t.step("with apply()", async () => {
    const { service, calls } = fakeTickets({ apply: true, marked: ["2:m"], failOn: "3" });
    const result = await testPipe(plugin, "UpdateTickets", {
      params: {
        updates: ["1", "2", "3", "4", "5", "6"].map((id) => ({
          id,
          changes: { queue: "IT" },
          mark: "m",
        })),
      },
      services: { tickets: service },
    });
    deepStrictEqual(result, {
      status: "succeeded",
      data: {
        applied: 4,
        unchanged: 1,
        failed: 1,
        failures: [{ id: "3", error: 'Cannot update ticket "3": no such ticket' }],
      },
    });
    strictEqual(calls.length, 6);
  });
  await t.step("without apply()", async () => {
    const { service, calls } = fakeTickets({ failOn: "2" });
    const result = await testPipe(plugin, "UpdateTickets", {
      params: {
        updates: [
          { id: "1", note: { body: "a" } },
          { id: "2", note: { body: "b" } },
          { id: "3", mark: "m" },
          { id: "4", changes: { state: "open" } },
        ],
      },
      services: { tickets: service },
    });
    deepStrictEqual(result, {
      status: "succeeded",
      data: {
        applied: 2,
        unchanged: 0,
        failed: 2,
        failures: [
          { id: "2", error: 'Cannot update ticket "2": no such ticket' },
          {
            id: "3",
            error: 'Cannot update ticket "3": this ticket system cannot mark tickets as ' +
              "processed; drop mark: or use a ticket system that supports apply",
          },
        ],
      },
    });
    deepStrictEqual(calls, [
      ["addNote", "1", { body: "a" }],
      ["addNote", "2", { body: "b" }],
      ["update", "4", { state: "open" }],
    ]);
  });
  await t.step("no updates", async () => {
    const result = await testPipe(plugin, "UpdateTickets", {
      params: { updates: [] },
      services: { tickets: fakeTickets().service },
    });
    deepStrictEqual(result, {
      status: "succeeded",
      data: { applied: 0, unchanged: 0, failed: 0, failures: [] },
    });
  });
});

Deno.test("UpdateTickets stops between tickets when its signal is aborted", async () => {
  const controller = new AbortController();
  const { service, calls } = fakeTickets();
  const update = service.update!;
  service.update = (...args) => {
    controller.abort(new Error("the step timed out"));
    return update(...args);
  };
  const result = await testPipe(plugin, "UpdateTickets", {
    params: { updates: ["1", "2", "3"].map((id) => ({ id, changes: { queue: "IT" } })) },
    services: { tickets: service },
    signal: controller.signal,
  });
  deepStrictEqual(
    result,
    failed(
      "Cannot finish updating tickets: stopped after 1 of 3 (the step timed out); the rest " +
        "were not touched",
    ),
  );
  strictEqual(calls.length, 1);
});

Deno.test("FetchTickets and UpdateTicket mark tickets processed on a fake ticket system", async () => {
  const tickets = fakeTicketSystem([
    { id: "1", queue: "Inbox", updated_at: "2025-05-01T10:00:00Z" },
    { id: "2", queue: "Inbox", updated_at: "2025-05-01T09:00:00Z" },
    { id: "3", queue: "IT" },
  ]);
  const fetch = () =>
    testPipe(plugin, "FetchTickets", {
      params: { queue: "Inbox", unprocessed: "triage" },
      services: { tickets },
    });
  const first = await fetch();
  deepStrictEqual(
    first.status === "succeeded"
      ? (first.data as { tickets: Ticket[] }).tickets.map((t) => t.id)
      : [],
    ["2", "1"],
  );
  const update = { id: "2", changes: { queue: "IT" }, note: { body: "Moved" }, mark: "triage" };
  const moved = await testPipe(plugin, "UpdateTicket", { params: update, services: { tickets } });
  deepStrictEqual(moved, { status: "succeeded", data: { id: "2", applied: true } });
  const again = await testPipe(plugin, "UpdateTicket", { params: update, services: { tickets } });
  deepStrictEqual(again, { status: "succeeded", data: { id: "2", applied: false } });
  deepStrictEqual(tickets.updates, [
    { method: "apply", ...update, applied: true },
    { method: "apply", ...update, applied: false },
  ]);
  strictEqual(tickets.get("2")?.queue, "IT");
  deepStrictEqual(tickets.get("2")?.notes, [{ body: "Moved" }]);
  const second = await fetch();
  deepStrictEqual(second.status === "succeeded" ? second.data : undefined, {
    tickets: [tickets.get("1")],
    count: 1,
  });
});

Deno.test("AddNote adds a note and returns the id", async () => {
  const { service, calls } = fakeTickets();
  deepStrictEqual(
    await testPipe(plugin, "AddNote", {
      params: { id: "5", body: "Called back" },
      services: { tickets: service },
    }),
    { status: "succeeded", data: { id: "5" } },
  );
  await testPipe(plugin, "AddNote", {
    params: { id: "6", body: "B", subject: "S" },
    services: { tickets: service },
  });
  deepStrictEqual(calls, [["addNote", "5", { body: "Called back" }], ["addNote", "6", {
    body: "B",
    subject: "S",
  }]]);
});

Deno.test("Filter keeps the items a CEL condition holds for", async (t) => {
  const items = [ticket("1"), ticket("2", "IT"), ticket("3"), ticket("4", "IT")];
  await t.step("by field", async () => {
    deepStrictEqual(
      await testPipe(plugin, "Filter", { params: { items, where: 'item.queue == "Inbox"' } }),
      { status: "succeeded", data: { items: [items[0], items[2]], count: 2, dropped: 2 } },
    );
  });
  await t.step("by index, with mixed numbers", async () => {
    const r = await testPipe(plugin, "Filter", {
      params: { items: [1.5, 2, 3.5, 4], where: "item * 2 > index + 3" },
    });
    deepStrictEqual(r, { status: "succeeded", data: { items: [3.5, 4], count: 2, dropped: 2 } });
  });
  await t.step("a bad expression fails with CEL's message when params are checked", async () => {
    const r = await testPipe(plugin, "Filter", { params: { items, where: "item.queue ==" } });
    deepStrictEqual(r, {
      status: "failed",
      error: {
        name: "TypeError",
        message:
          'invalid params: where: Cannot compile where "item.queue ==": Unexpected token: EOF ' +
          "(column 14)",
      },
    });
  });
  await t.step("an item it cannot evaluate fails with CEL's message", async () => {
    const r = await testPipe(plugin, "Filter", {
      params: { items: [{ queue: "IT" }, {}], where: 'item.queue == "IT"' },
    });
    deepStrictEqual(r, {
      status: "failed",
      error: {
        name: "EvalError",
        message: 'Cannot evaluate where "item.queue == "IT"" for item 1: No such key: queue ' +
          "(column 6)",
      },
    });
  });
  await t.step("items that are not a list", async () => {
    const r = await testPipe(plugin, "Filter", { params: { items: null, where: "true" } });
    match(r.status === "failed" ? r.error.message : "", /give items as a list/);
  });
});

Deno.test("Set returns its values", async () => {
  const values = { since: "2025-05-01", limit: 5, queues: ["IT"] };
  deepStrictEqual(await testPipe(plugin, "Set", { params: { values } }), {
    status: "succeeded",
    data: values,
  });
});

Deno.test("Log writes to the plugin log at the level given", async () => {
  const records: unknown[][] = [];
  const log = (...r: unknown[]) => void records.push(r);
  deepStrictEqual(
    await testPipe(plugin, "Log", {
      params: { message: "Moved {n} tickets", level: "warning", data: { n: 3 } },
      log,
    }),
    { status: "succeeded", data: { logged: true } },
  );
  await testPipe(plugin, "Log", { params: { message: "Done" }, log });
  deepStrictEqual(records, [["warning", "Moved {n} tickets", { n: 3 }], ["info", "Done", {}]]);
  const bad = await testPipe(plugin, "Log", { params: { message: "x", level: "loud" } });
  match(bad.status === "failed" ? bad.error.message : "", /give level as debug, info, warning/);
});

Deno.test("Tally and Report summarise items", async () => {
  const items = [ticket("1"), ticket("2", "IT"), ticket("3")];
  const tally = await testPipe(plugin, "Tally", { params: { items, by: "queue" } });
  deepStrictEqual(tally, { status: "succeeded", data: { total: 3, counts: { Inbox: 2, IT: 1 } } });
  const report = await testPipe(plugin, "Report", {
    params: { title: "Triage", values: tally.status === "succeeded" ? tally.data as object : {} },
  });
  deepStrictEqual(report, {
    status: "succeeded",
    data: { report: "Triage\n  total:  3\n  counts: Inbox=2, IT=1" },
  });
  const bad = await testPipe(plugin, "Tally", { params: { items, by: "a..b" } });
  match(bad.status === "failed" ? bad.error.message : "", /give by a dot path/);
});
