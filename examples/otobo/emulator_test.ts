import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { startOtoboEmulator } from "./emulator.ts";
import { AUTH, call, errorCode, errorMessage } from "./_testing.ts";

Deno.test("startOtoboEmulator() serves the seed and authenticates like OTOBO", async (t) => {
  let now = Date.parse("2025-03-03T08:00:00Z");
  await using emu = await startOtoboEmulator({ now: () => now });
  strictEqual(emu.tickets.size, 30);
  ok(emu.baseUrl.endsWith("/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"));

  await t.step("a session dies 2 h after SessionCreate, however busy it was", async () => {
    const { body } = await call(emu, "POST", "/Session", AUTH);
    const SessionID = body.SessionID as string;
    match(SessionID, /^[A-Za-z0-9]{32}$/);
    const start = now;
    for (const minutes of [0, 60, 119]) {
      now = start + minutes * 60_000;
      const found = await call(emu, "GET", "/Ticket", { SessionID, Limit: 1 });
      deepStrictEqual((found.body.TicketID as string[]).length, 1, `after ${minutes} min`);
    }
    now = start + 120 * 60_000;
    const expired = await call(emu, "GET", "/Ticket", { SessionID });
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
  await t.step("query parameters win over the body", async () => {
    const res = await call(emu, "PATCH", "/Ticket/1", {
      ...AUTH,
      Article: { Subject: "s", Body: "b", ContentType: "text/plain" },
    }, { Password: "not-the-password" });
    strictEqual(errorCode(res.body), "TicketUpdate.AuthFail");
    strictEqual(emu.tickets.get(1)!.Articles.length, 1);
  });
  await t.step("the request log holds no credentials", () => {
    ok(emu.requests.count >= 8);
    ok(!JSON.stringify(emu.requests.log).includes("otai-demo"));
    deepStrictEqual(emu.requests.log[0], {
      method: "POST",
      route: "/Session",
      operation: "SessionCreate",
      status: 200,
    });
  });
});

Deno.test("startOtoboEmulator() routes requests like the stock web service", async (t) => {
  await using emu = await startOtoboEmulator();
  const cases: [string, string, RegExp][] = [
    ["POST", "/TicketSearch", /Error while determine Operation for request URI '\/TicketSearch'/],
    ["POST", "/Ticket/1", /Error while determine Operation/],
    ["DELETE", "/Ticket/1", /Error while determine Operation/],
  ];
  for (const [method, route, text] of cases) {
    await t.step(`${method} ${route} has no route: HTTP 500 text/plain`, async () => {
      const res = await call(emu, method, route, AUTH);
      strictEqual(res.status, 500);
      match(res.type, /^text\/plain/);
      match(res.body.text as string, text);
    });
  }
  await t.step("GET /Ticket is TicketSearch, POST /Ticket is TicketCreate", async () => {
    strictEqual((await call(emu, "GET", "/Ticket", AUTH)).status, 200);
    const create = await call(emu, "POST", "/Ticket", AUTH);
    deepStrictEqual([create.status, errorMessage(create.body)], [
      500,
      "TicketCreate is not emulated",
    ]);
  });
  await t.step(
    "postSearch adds POST /TicketSearch, which takes dynamic field filters",
    async () => {
      await using extended = await startOtoboEmulator({ postSearch: true });
      const body = { ...AUTH, DynamicField_Tags: { Equals: "refund" }, OrderBy: "Up" };
      deepStrictEqual((await call(extended, "POST", "/TicketSearch", body)).body, {
        TicketID: ["15", "3"],
      });
    },
  );
});

Deno.test("startOtoboEmulator() answers TicketSearch like OTOBO", async (t) => {
  await using emu = await startOtoboEmulator({
    users: [
      { login: "otai", password: "otai-demo" },
      { login: "billing", password: "b1ll", queues: ["Billing"] },
    ],
  });
  const search = async (data: Record<string, unknown>) =>
    (await call(emu, "GET", "/Ticket", { ...AUTH, ...data })).body;
  await t.step("filters by States and Queues, sorts by Changed Up, ids as strings", async () => {
    const body = await search({
      States: "new",
      Queues: "Billing",
      SortBy: "Changed",
      OrderBy: "Up",
    });
    deepStrictEqual(body, { TicketID: ["3", "9"] });
  });
  await t.step("Limit, and the default order (Age Down: newest first)", async () => {
    deepStrictEqual(await search({ Limit: 2 }), { TicketID: ["30", "28"] });
  });
  await t.step("nothing found is an empty object; an unknown SortBy finds nothing", async () => {
    deepStrictEqual(await search({ Queues: ["Junk"] }), {});
    deepStrictEqual(await search({ SortBy: "Nonsense" }), {});
  });
  await t.step("TicketLastChangeTimeNewerDate and StateType", async () => {
    const body = await search({
      TicketLastChangeTimeNewerDate: "2025-03-03 14:00:00",
      StateType: "Open",
      SortBy: "Changed",
      OrderBy: "Up",
    });
    deepStrictEqual(body, { TicketID: ["27", "28", "30"] });
  });
  await t.step("Title wildcards; a dynamic field filter cannot travel in a query", async () => {
    deepStrictEqual(await search({ Title: "%laptop%", SortBy: "TicketNumber", OrderBy: "Up" }), {
      TicketID: ["16", "4", "30"],
    });
    const all = await search({ Limit: 100 });
    deepStrictEqual(await search({ Limit: 100, DynamicField_Tags: "refund" }), all);
  });
  await t.step("an agent sees only the queues they have permissions on", async () => {
    const body = (await call(emu, "GET", "/Ticket", { UserLogin: "billing", Password: "b1ll" }))
      .body;
    deepStrictEqual((body.TicketID as string[]).toSorted(), ["15", "29", "3", "9"]);
  });
});

Deno.test("startOtoboEmulator() answers TicketGet with numbers, like OTOBO 11", async (t) => {
  await using emu = await startOtoboEmulator();
  await t.step("several ids, AllArticles and DynamicFields", async () => {
    const { body } = await call(emu, "GET", "/Ticket/5,3", {
      ...AUTH,
      AllArticles: 1,
      DynamicFields: 1,
    });
    const [five, three] = body.Ticket as Record<string, unknown>[];
    deepStrictEqual([five!.TicketID, five!.QueueID, three!.TicketID], [5, 7, 3]);
    strictEqual(five!.Changed, "2025-03-01 11:30:00");
    const articles = five!.Article as Record<string, unknown>[];
    deepStrictEqual(articles.map((a) => [a.ArticleID, a.IsVisibleForCustomer]), [[5, 1], [6, 0]]);
    deepStrictEqual(three!.DynamicField, [
      { Name: "Tags", Value: ["billing", "refund"] },
      { Name: "OtaiMarks", Value: null },
    ]);
  });
  await t.step("no articles without AllArticles (a 0 in a query is empty)", async () => {
    const plain = (await call(emu, "GET", "/Ticket/6", { ...AUTH, AllArticles: 0 })).body
      .Ticket as Record<string, unknown>[];
    deepStrictEqual([plain[0]!.Article, plain[0]!.DynamicField], [undefined, undefined]);
    const last = (await call(emu, "GET", "/Ticket/6", {
      ...AUTH,
      AllArticles: 1,
      ArticleOrder: "DESC",
      ArticleLimit: 1,
    })).body.Ticket as { Article: { ArticleNumber: number }[] }[];
    deepStrictEqual(last[0]!.Article.map((a) => a.ArticleNumber), [3]);
  });
  await t.step("TicketGetList takes repeated TicketID query parameters", async () => {
    const { body } = await call(emu, "GET", "/TicketList", { ...AUTH, TicketID: [1, 2] });
    deepStrictEqual((body.Ticket as { TicketID: number }[]).map((x) => x.TicketID), [1, 2]);
  });
  await t.step("an unknown ticket is AccessDenied; OTOBO on MySQL reads 7abc as 7", async () => {
    strictEqual(
      errorCode((await call(emu, "GET", "/Ticket/999", AUTH)).body),
      "TicketGet.AccessDenied",
    );
    const lax = (await call(emu, "GET", "/Ticket/7abc", AUTH)).body.Ticket as {
      TicketID: number;
    }[];
    strictEqual(lax[0]!.TicketID, 7);
  });
});

Deno.test("startOtoboEmulator() fails at the transport like OTOBO's REST provider", async (t) => {
  await using emu = await startOtoboEmulator({ webservice: "Custom", failEveryNth: 3 });
  await t.step("a body that is not JSON, or an empty object, is HTTP 500", async () => {
    for (const [body, text] of [["{nope", "decoding"], ["{}", "Unsupported"]] as const) {
      const res = await fetch(`${emu.baseUrl}/Session`, { method: "POST", body });
      strictEqual(res.status, 500);
      match(await res.text(), new RegExp(text));
    }
  });
  await t.step("every Nth request fails with HTTP 500 and a fault", async () => {
    const res = await call(emu, "GET", "/Ticket", AUTH);
    deepStrictEqual([res.status, res.body], [500, {
      faultcode: "Server",
      faultstring: "TicketSearch: injected failure",
    }]);
    strictEqual((await call(emu, "GET", "/Ticket", AUTH)).status, 200);
  });
  await t.step("another web service name is an empty HTTP 500", async () => {
    const url = emu.baseUrl.replace("Custom", "GenericTicketConnectorREST") + "/Session";
    const res = await fetch(url, { method: "POST", body: "{}" });
    deepStrictEqual([res.status, await res.text()], [500, ""]);
  });
});

Deno.test("startOtoboEmulator() stores request data in the debugger at DebugThreshold debug", async () => {
  for (const [threshold, entries] of [["debug", 1], ["error", 0]] as const) {
    await using emu = await startOtoboEmulator({ debugThreshold: threshold });
    await call(emu, "POST", "/Session", AUTH);
    strictEqual(emu.debugger.filter((d) => d.data.includes(AUTH.Password)).length, entries);
  }
});

Deno.test("startOtoboEmulator({ product: 'znuny' }) behaves like Znuny", async (t) => {
  await using emu = await startOtoboEmulator({
    product: "znuny",
    users: [{ login: "otai", password: "otai-demo", permissions: { Billing: ["ro", "note"] } }],
  });
  await t.step("it lives under /otrs/ and takes whole-number ids only", async () => {
    ok(emu.baseUrl.includes("/otrs/nph-genericinterface.pl/Webservice/"));
    strictEqual((await call(emu, "GET", "/Ticket/3", AUTH)).status, 200);
    strictEqual(
      errorCode((await call(emu, "GET", "/Ticket/3abc", AUTH)).body),
      "TicketGet.AccessDenied",
    );
  });
  await t.step("a note needs rw, not the note permission", async () => {
    const res = await call(emu, "PATCH", "/Ticket/3", {
      ...AUTH,
      Article: { Subject: "s", Body: "b", ContentType: "text/plain" },
    });
    deepStrictEqual(res.body.Error, {
      ErrorCode: "TicketUpdate.AccessDenied",
      ErrorMessage: "TicketUpdate: Does not have permissions to create new articles!",
    });
  });
});
