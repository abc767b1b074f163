import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { type OtoboEmulator, startOtoboEmulator } from "./emulator.ts";

const AUTH = { UserLogin: "otai", Password: "otai-demo" };

async function call(
  emu: OtoboEmulator,
  method: string,
  route: string,
  data: Record<string, unknown> = {},
): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const url = new URL(`${emu.baseUrl}${route}`);
  if (method === "GET") {
    for (const [k, v] of Object.entries(data)) {
      for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(x));
    }
  }
  const res = await fetch(url, {
    method,
    ...(method === "GET" ? {} : { body: JSON.stringify(data) }),
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", body };
}

function errorCode(body: Record<string, unknown>): string | undefined {
  return (body.Error as { ErrorCode?: string } | undefined)?.ErrorCode;
}

Deno.test("startOtoboEmulator() serves the seed and authenticates like OTOBO", async (t) => {
  await using emu = await startOtoboEmulator({ sessionTtlMs: 150 });
  strictEqual(emu.tickets.size, 30);
  ok(emu.baseUrl.endsWith("/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"));

  await t.step("SessionCreate returns a SessionID that works until it expires", async () => {
    const { body } = await call(emu, "POST", "/Session", AUTH);
    const SessionID = body.SessionID as string;
    match(SessionID, /^[A-Za-z0-9]{32}$/);
    const found = await call(emu, "POST", "/TicketSearch", { SessionID, Limit: 1 });
    deepStrictEqual((found.body.TicketID as string[]).length, 1);
    await new Promise((r) => setTimeout(r, 200));
    const expired = await call(emu, "POST", "/TicketSearch", { SessionID });
    deepStrictEqual(expired.body, {
      Error: {
        ErrorCode: "TicketSearch.AuthFail",
        ErrorMessage: "TicketSearch: Authorization failing!",
      },
    });
  });
  await t.step("errors are HTTP 200 with Error { ErrorCode, ErrorMessage }", async () => {
    const wrong = await call(emu, "POST", "/Session", { UserLogin: "otai", Password: "nope" });
    strictEqual(wrong.status, 200);
    match(wrong.type, /^application\/json/);
    strictEqual(errorCode(wrong.body), "SessionCreate.AuthFail");
    const missing = await call(emu, "POST", "/Session", { UserLogin: "otai" });
    deepStrictEqual(missing.body.Error, {
      ErrorCode: "SessionCreate.MissingParameter",
      ErrorMessage: "SessionCreate: Password parameter is missing!",
    });
    strictEqual(errorCode((await call(emu, "GET", "/Ticket/1", {})).body), "TicketGet.AuthFail");
  });
  await t.step("the request log holds no credentials", () => {
    ok(emu.requests.count >= 6);
    ok(!JSON.stringify(emu.requests.log).includes("otai-demo"));
    deepStrictEqual(emu.requests.log[0], {
      method: "POST",
      route: "/Session",
      operation: "SessionCreate",
      status: 200,
    });
  });
});

Deno.test("startOtoboEmulator() answers TicketSearch like OTOBO", async (t) => {
  await using emu = await startOtoboEmulator({
    users: [
      { login: "otai", password: "otai-demo" },
      { login: "billing", password: "b1ll", queues: ["Billing"] },
    ],
  });
  const search = async (data: Record<string, unknown>, method = "POST") =>
    (await call(emu, method, method === "GET" ? "/Ticket" : "/TicketSearch", { ...AUTH, ...data }))
      .body;
  await t.step("filters by States and Queues, sorts by Changed Up, ids as strings", async () => {
    const body = await search({
      States: ["new"],
      Queues: "Billing",
      SortBy: "Changed",
      OrderBy: "Up",
    });
    deepStrictEqual(body, { TicketID: ["3", "9"] });
  });
  await t.step("Limit, and the default order (Age Down: newest first)", async () => {
    deepStrictEqual(await search({ Limit: 2 }), { TicketID: ["30", "28"] });
  });
  await t.step("nothing found is an empty object", async () => {
    deepStrictEqual(await search({ Queues: ["Junk"] }), {});
  });
  await t.step("an unknown SortBy finds nothing, as in OTOBO", async () => {
    deepStrictEqual(await search({ SortBy: "Nonsense" }), {});
  });
  await t.step(
    "TicketLastChangeTimeNewerDate, StateType and GET with query parameters",
    async () => {
      const body = await search({
        TicketLastChangeTimeNewerDate: "2025-03-03 14:00:00",
        StateType: "Open",
        SortBy: "Changed",
        OrderBy: "Up",
      }, "GET");
      deepStrictEqual(body, { TicketID: ["27", "28", "30"] });
    },
  );
  await t.step("Title wildcards and dynamic fields", async () => {
    deepStrictEqual(await search({ Title: "%laptop%", SortBy: "TicketNumber", OrderBy: "Up" }), {
      TicketID: ["16", "4", "30"],
    });
    deepStrictEqual(await search({ DynamicField_Tags: { Equals: "refund" }, OrderBy: "Up" }), {
      TicketID: ["15", "3"],
    });
  });
  await t.step("an agent sees only the queues they have permissions on", async () => {
    const body = (await call(emu, "POST", "/TicketSearch", {
      UserLogin: "billing",
      Password: "b1ll",
    })).body;
    deepStrictEqual((body.TicketID as string[]).toSorted(), ["15", "29", "3", "9"]);
  });
});

Deno.test("startOtoboEmulator() answers TicketGet like OTOBO", async (t) => {
  await using emu = await startOtoboEmulator();
  await t.step("several ids, AllArticles and DynamicFields", async () => {
    const { body } = await call(emu, "GET", "/Ticket/5,3", {
      ...AUTH,
      AllArticles: 1,
      DynamicFields: 1,
    });
    const [five, three] = body.Ticket as Record<string, unknown>[];
    strictEqual(five!.TicketID, "5");
    strictEqual(five!.Title, "Outlook keeps asking for password");
    strictEqual(five!.Changed, "2025-03-01 11:30:00");
    const articles = five!.Article as Record<string, unknown>[];
    deepStrictEqual(articles.map((a) => a.IsVisibleForCustomer), ["1", "0"]);
    deepStrictEqual(three!.DynamicField, [{ Name: "Tags", Value: ["billing", "refund"] }]);
    strictEqual(typeof three!.Age, "number");
  });
  await t.step("no articles without AllArticles; ArticleLimit and ArticleOrder", async () => {
    const plain = (await call(emu, "GET", "/Ticket/6", AUTH)).body.Ticket as Record<
      string,
      unknown
    >[];
    strictEqual(plain[0]!.Article, undefined);
    strictEqual(plain[0]!.DynamicField, undefined);
    const last = (await call(emu, "GET", "/Ticket/6", {
      ...AUTH,
      AllArticles: 1,
      ArticleOrder: "DESC",
      ArticleLimit: 1,
    })).body.Ticket as { Article: { ArticleNumber: string }[] }[];
    deepStrictEqual(last[0]!.Article.map((a) => a.ArticleNumber), ["3"]);
  });
  await t.step("TicketGetList takes repeated TicketID query parameters", async () => {
    const { body } = await call(emu, "GET", "/TicketList", { ...AUTH, TicketID: [1, 2] });
    deepStrictEqual((body.Ticket as { TicketID: string }[]).map((x) => x.TicketID), ["1", "2"]);
  });
  await t.step("an unknown ticket is AccessDenied", async () => {
    deepStrictEqual((await call(emu, "GET", "/Ticket/999", AUTH)).body, {
      Error: {
        ErrorCode: "TicketGet.AccessDenied",
        ErrorMessage: "TicketGet: User does not have access to the ticket!",
      },
    });
  });
});

Deno.test("startOtoboEmulator() answers TicketUpdate like OTOBO", async (t) => {
  await using emu = await startOtoboEmulator();
  await t.step("changes Ticket fields and adds an Article", async () => {
    const before = emu.tickets.get(1)!.Changed;
    const { body } = await call(emu, "PATCH", "/Ticket/1", {
      ...AUTH,
      Ticket: { Queue: "Misc", State: "open", Priority: "4 high", Type: "Problem" },
      Article: {
        Subject: "Triage",
        Body: "Moved.",
        ContentType: "text/plain; charset=utf8",
        IsVisibleForCustomer: 0,
      },
    });
    strictEqual(body.TicketID, "1");
    strictEqual(body.TicketNumber, emu.tickets.get(1)!.TicketNumber);
    strictEqual(typeof body.ArticleID, "number");
    const ticket = emu.tickets.get(1)!;
    deepStrictEqual([ticket.Queue, ticket.State, ticket.Priority, ticket.Type], [
      "Misc",
      "open",
      "4 high",
      "Problem",
    ]);
    const article = ticket.Articles.at(-1)!;
    deepStrictEqual(
      [article.Subject, article.Body, article.IsVisibleForCustomer, article.CommunicationChannel],
      ["Triage", "Moved.", 0, "Internal"],
    );
    ok(ticket.Changed > before);
  });
  await t.step("POST works too; an Article is visible to the customer by default", async () => {
    await call(emu, "POST", "/Ticket/2", {
      ...AUTH,
      Article: { Subject: "Hi", Body: "Hello", ContentType: "text/plain" },
    });
    strictEqual(emu.tickets.get(2)!.Articles.at(-1)!.IsVisibleForCustomer, 1);
  });
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "an unknown queue",
      { Ticket: { Queue: "Nowhere" } },
      "TicketUpdate.InvalidParameter",
      /Ticket->Queue/,
    ],
    [
      "an empty Ticket",
      { Ticket: {} },
      "TicketUpdate.InvalidParameter",
      /Ticket parameter is not valid/,
    ],
    [
      "an Article without Subject",
      { Article: { Body: "x", ContentType: "text/plain" } },
      "TicketUpdate.MissingParameter",
      /Article->Subject/,
    ],
    [
      "an Article without ContentType",
      { Article: { Subject: "s", Body: "x" } },
      "TicketUpdate.MissingParameter",
      /ContentType/,
    ],
    [
      "an unknown dynamic field",
      { DynamicField: { Name: "Nope", Value: "x" } },
      "TicketUpdate.InvalidParameter",
      /DynamicField->Name/,
    ],
    [
      "a wrong password",
      { Password: "bad" },
      "TicketUpdate.AuthFail",
      /could not be authenticated/,
    ],
  ];
  for (const [name, data, code, message] of cases) {
    await t.step(`refuses ${name}`, async () => {
      const { body } = await call(emu, "PATCH", "/Ticket/3", { ...AUTH, ...data });
      strictEqual(errorCode(body), code);
      match((body.Error as { ErrorMessage: string }).ErrorMessage, message);
    });
  }
  await t.step("an unknown ticket is AccessDenied; TicketNumber finds a ticket", async () => {
    strictEqual(
      errorCode((await call(emu, "PATCH", "/Ticket/999", AUTH)).body),
      "TicketUpdate.AccessDenied",
    );
    const number = emu.tickets.get(4)!.TicketNumber;
    const { body } = await call(emu, "PATCH", "/Ticket/x", {
      ...AUTH,
      TicketNumber: number,
      DynamicField: [{ Name: "Tags", Value: ["hardware"] }],
    });
    strictEqual(body.TicketNumber, number);
    deepStrictEqual(emu.tickets.get(4)!.DynamicField.Tags, ["hardware"]);
  });
});

Deno.test("startOtoboEmulator() fails at the transport like OTOBO's REST provider", async (t) => {
  await using emu = await startOtoboEmulator({ webservice: "Custom", failEveryNth: 3 });
  await t.step("an unknown route is HTTP 500 text/plain", async () => {
    const res = await call(emu, "DELETE", "/Ticket/1", AUTH);
    strictEqual(res.status, 500);
    match(res.type, /^text\/plain/);
    match(res.body.text as string, /Error while determine Operation for request URI '\/Ticket\/1'/);
  });
  await t.step("a body that is not JSON is HTTP 500", async () => {
    const res = await fetch(`${emu.baseUrl}/TicketSearch`, { method: "POST", body: "{nope" });
    strictEqual(res.status, 500);
    strictEqual(await res.text(), "Error while decoding request content.");
  });
  await t.step("every Nth request fails with HTTP 500 and a fault", async () => {
    const res = await call(emu, "POST", "/TicketSearch", AUTH);
    strictEqual(res.status, 500);
    deepStrictEqual(res.body, {
      faultcode: "Server",
      faultstring: "TicketSearch: injected failure",
    });
    strictEqual((await call(emu, "POST", "/TicketSearch", AUTH)).status, 200);
  });
  await t.step("another web service name is an empty HTTP 500", async () => {
    const res = await fetch(
      emu.baseUrl.replace("Custom", "GenericTicketConnectorREST") + "/Session",
      {
        method: "POST",
        body: "{}",
      },
    );
    strictEqual(res.status, 500);
    strictEqual(await res.text(), "");
  });
});
