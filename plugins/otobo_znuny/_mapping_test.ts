import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import {
  noteArticle,
  searchRequest,
  ticketChanges,
  ticketIds,
  toIsoTime,
  toOtoboTime,
  toTicket,
} from "./_mapping.ts";

const options = { tagsField: "Tags" };

Deno.test("toTicket() maps a TicketGet ticket with articles and dynamic fields", async (t) => {
  const raw = {
    TicketID: "7",
    Title: "VPN drops",
    Queue: "IT::Network",
    Priority: "3 normal",
    State: "open",
    Type: "Incident",
    CustomerUserID: "mara",
    Changed: "2025-03-03 08:12:40",
    DynamicField: [{ Name: "Product", Value: null }, { Name: "Tags", Value: ["vpn", "laptop"] }],
    Article: [
      { ArticleID: "1", Body: "It drops.", IsVisibleForCustomer: "1", Subject: "VPN drops" },
      { ArticleID: "2", Body: "Reply", IsVisibleForCustomer: "1", From: "Agent" },
      {
        ArticleID: "3",
        Body: "Checked logs",
        Subject: "Note",
        IsVisibleForCustomer: "0",
        From: "Sam Agent",
        CreateTime: "2025-03-03 09:00:00",
      },
    ],
  };
  await t.step("fields", () => {
    deepStrictEqual(toTicket(raw, options), {
      id: "7",
      subject: "VPN drops",
      body: "It drops.",
      queue: "IT::Network",
      priority: "3 normal",
      state: "open",
      type: "Incident",
      customer: "mara",
      tags: ["vpn", "laptop"],
      notes: [{
        body: "Checked logs",
        subject: "Note",
        author: "Sam Agent",
        created_at: "2025-03-03T09:00:00.000Z",
      }],
      updated_at: "2025-03-03T08:12:40.000Z",
    });
  });
  await t.step("numbers where OTOBO's docs show numbers", () => {
    const ticket = toTicket({
      ...raw,
      TicketID: 7,
      Article: [{ ...raw.Article[2], IsVisibleForCustomer: 0 }],
    }, options);
    strictEqual(ticket.id, "7");
    deepStrictEqual(ticket.notes, []);
  });
  await t.step("no articles, no dynamic fields, empty optional fields", () => {
    deepStrictEqual(
      toTicket({
        TicketID: "9",
        Title: "",
        Queue: "Raw",
        Priority: "3 normal",
        Type: "",
        Changed: "x",
      }, options),
      {
        id: "9",
        subject: "",
        body: "",
        queue: "Raw",
        priority: "3 normal",
        tags: [],
        notes: [],
        updated_at: "x",
      },
    );
  });
  await t.step("tags from a comma-separated text field", () => {
    const ticket = toTicket(
      { TicketID: "1", DynamicField: [{ Name: "Labels", Value: "a, b,," }] },
      {
        tagsField: "Labels",
      },
    );
    deepStrictEqual(ticket.tags, ["a", "b"]);
  });
  await t.step("a single Article object instead of a list", () => {
    strictEqual(toTicket({ TicketID: "1", Article: { Body: "only" } }, options).body, "only");
  });
});

Deno.test("searchRequest() maps queue, state, since, limit and offset", async (t) => {
  await t.step("all fields", () => {
    deepStrictEqual(
      searchRequest({
        queue: "Billing",
        state: "new",
        since: "2025-03-01T10:20:30.999Z",
        limit: 10,
        offset: 5,
      }),
      {
        SortBy: "Changed",
        OrderBy: "Up",
        Limit: 15,
        Queues: ["Billing"],
        States: ["new"],
        TicketLastChangeTimeNewerDate: "2025-03-01 10:20:30",
      },
    );
  });
  await t.step("only a limit", () => {
    deepStrictEqual(searchRequest({ limit: 3 }), { SortBy: "Changed", OrderBy: "Up", Limit: 3 });
  });
  await t.step("a since that is not a time", () => {
    throws(() => searchRequest({ limit: 1, since: "yesterday" }), RangeError);
  });
});

Deno.test("ticketIds() reads TicketSearch answers", async (t) => {
  for (
    const [value, ids] of [
      [["3", "1"], ["3", "1"]],
      [[3, 1], ["3", "1"]],
      ["4", ["4"]],
      [undefined, []],
    ] as const
  ) {
    await t.step(
      JSON.stringify(value) ?? "undefined",
      () => deepStrictEqual(ticketIds(value), ids),
    );
  }
});

Deno.test("toIsoTime() and toOtoboTime() convert between OTOBO and ISO times", () => {
  strictEqual(toIsoTime("2025-01-02 03:04:05"), "2025-01-02T03:04:05.000Z");
  strictEqual(toOtoboTime("2025-01-02T04:04:05+01:00"), "2025-01-02 03:04:05");
  throws(() => toOtoboTime("soon"), /"since" must be an ISO 8601 time, got "soon"/);
});

const WRITE = { pendingMinutes: 60, channel: "Internal", notifyAgents: false };

Deno.test("ticketChanges() maps changes to Ticket, with a PendingTime for every State", async (t) => {
  await t.step("all fields; tags are not part of it", () => {
    deepStrictEqual(
      ticketChanges({
        queue: "Misc",
        priority: "4 high",
        state: "pending reminder",
        type: "Problem",
        tags: ["x"],
      }, WRITE),
      {
        Queue: "Misc",
        Priority: "4 high",
        State: "pending reminder",
        PendingTime: { Diff: 60 },
        Type: "Problem",
      },
    );
  });
  await t.step("no empty Ticket object", () => {
    strictEqual(ticketChanges({}, WRITE), undefined);
    strictEqual(ticketChanges({ tags: [] }, WRITE), undefined);
  });
});

Deno.test("noteArticle() writes an internal article that notifies no agent", async (t) => {
  await t.step("defaults", () => {
    deepStrictEqual(noteArticle({ body: " Hi \n" }, WRITE), {
      Subject: "Note",
      Body: "Hi",
      ContentType: "text/plain; charset=utf-8",
      CommunicationChannel: "Internal",
      SenderType: "agent",
      IsVisibleForCustomer: 0,
      NoAgentNotify: 1,
    });
  });
  await t.step("subject, channel, TimeUnit, notifications", () => {
    const article = noteArticle({ body: "x", subject: "S" }, {
      ...WRITE,
      channel: "Phone",
      timeUnit: 0,
      notifyAgents: true,
    });
    deepStrictEqual(
      [article.Subject, article.CommunicationChannel, article.TimeUnit, article.NoAgentNotify],
      ["S", "Phone", 0, undefined],
    );
  });
  await t.step("no body", () => throws(() => noteArticle({ body: " " }, WRITE), TypeError));
});
