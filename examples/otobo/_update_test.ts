import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { startOtoboEmulator } from "./emulator.ts";
import { AUTH, call, errorCode, errorMessage } from "./_testing.ts";

const NOTE = { Subject: "Triage", Body: "Moved.", ContentType: "text/plain; charset=utf8" };

Deno.test("ticketUpdate() changes fields and adds an article like OTOBO", async (t) => {
  await using emu = await startOtoboEmulator();
  await t.step(
    "PATCH writes Ticket fields and an Article; the answer echoes TicketID",
    async () => {
      const before = emu.tickets.get(1)!.Changed;
      const { body } = await call(emu, "PATCH", "/Ticket/1", {
        ...AUTH,
        Ticket: { Queue: "Misc", State: "open", Priority: "4 high", Type: "Problem" },
        Article: { ...NOTE, IsVisibleForCustomer: 0 },
      });
      deepStrictEqual([body.TicketID, typeof body.ArticleID], ["1", "number"]);
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
    },
  );
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["an unknown queue", { Ticket: { Queue: "Nowhere" } }, "InvalidParameter", /Ticket->Queue/],
    ["an empty Ticket", { Ticket: {} }, "InvalidParameter", /Ticket parameter is not valid/],
    [
      "an Article without Subject",
      { Article: { Body: "x", ContentType: "text/plain" } },
      "MissingParameter",
      /Article->Subject/,
    ],
    ["an Article without ContentType", { Article: { Subject: "s", Body: "x" } }, "Missing", /Type/],
    ["a Chat note", { Article: { ...NOTE, CommunicationChannel: "Chat" } }, "Invalid", /Channel/],
    ["a NoAgentNotify of 2", { Article: { ...NOTE, NoAgentNotify: 2 } }, "Invalid", /NoAgent/],
    [
      "an unknown dynamic field",
      { DynamicField: { Name: "Nope", Value: "x" } },
      "InvalidParameter",
      /DynamicField->Name/,
    ],
    ["a wrong password", { Password: "bad" }, "AuthFail", /could not be authenticated/],
  ];
  for (const [name, data, code, message] of cases) {
    await t.step(`refuses ${name}, writing nothing`, async () => {
      const before = structuredClone(emu.tickets.get(3));
      const { body } = await call(emu, "PATCH", "/Ticket/3", { ...AUTH, ...data });
      match(errorCode(body) ?? "", new RegExp(`^TicketUpdate\\.${code}`));
      match(errorMessage(body) ?? "", message);
      deepStrictEqual(emu.tickets.get(3), before);
    });
  }
  await t.step(
    "Email and Phone notes are fine; agents are notified unless told not to",
    async () => {
      for (const channel of ["Email", "Phone"]) {
        const { body } = await call(emu, "PATCH", "/Ticket/4", {
          ...AUTH,
          Article: {
            ...NOTE,
            CommunicationChannel: channel,
            NoAgentNotify: channel === "Phone" ? 1 : 0,
          },
        });
        strictEqual(typeof body.ArticleID, "number");
      }
      deepStrictEqual(emu.notifications.filter((n) => n.TicketID === 4).length, 1);
    },
  );
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

Deno.test("ticketUpdate() is not atomic: what OTOBO writes before it fails stays", async (t) => {
  await using emu = await startOtoboEmulator({
    users: [
      { login: "otai", password: "otai-demo" },
      { login: "it", password: "it-pw", permissions: { "IT::Network": ["rw"], Billing: ["ro"] } },
    ],
  });
  await t.step("a pending state without PendingTime fails after queue and type", async () => {
    const { body } = await call(emu, "PATCH", "/Ticket/1", {
      ...AUTH,
      Ticket: {
        Queue: "Misc",
        Type: "Problem",
        State: "pending reminder",
        Priority: "5 very high",
      },
    });
    deepStrictEqual(body.Error, {
      ErrorCode: "TicketUpdate.MissingParameter",
      ErrorMessage: "Can't set a ticket on a pending state without pendig time!",
    });
    const t1 = emu.tickets.get(1)!;
    deepStrictEqual([t1.Queue, t1.Type, t1.State, t1.Priority], [
      "Misc",
      "Problem",
      "new",
      "3 normal",
    ]);
  });
  await t.step("with PendingTime { Diff } the pending state is set", async () => {
    await call(emu, "PATCH", "/Ticket/2", {
      ...AUTH,
      Ticket: { State: "pending reminder", PendingTime: { Diff: 60 } },
    });
    const t2 = emu.tickets.get(2)!;
    strictEqual(t2.State, "pending reminder");
    ok(Date.parse(`${t2.PendingTime!.replace(" ", "T")}Z`) > Date.now() + 59 * 60_000);
  });
  await t.step("a multiselect value that is not a possible value fails it all first", async () => {
    const { body } = await call(emu, "PATCH", "/Ticket/8", {
      ...AUTH,
      Ticket: { Queue: "Misc" },
      Article: NOTE,
      DynamicField: [{ Name: "Tags", Value: ["hardware", "no-such-tag"] }],
    });
    strictEqual(errorMessage(body), "TicketUpdate: DynamicField->Value parameter is invalid!");
    deepStrictEqual([emu.tickets.get(8)!.Queue, emu.tickets.get(8)!.Articles.length], [
      "IT::Hardware",
      1,
    ]);
  });
  await t.step("a list for a text field fails with HTTP 500 after fields and note", async () => {
    const res = await call(emu, "PATCH", "/Ticket/10", {
      ...AUTH,
      Ticket: { State: "open" },
      Article: NOTE,
      DynamicField: [{ Name: "OtaiMarks", Value: ["triage"] }],
    });
    deepStrictEqual([res.status, errorMessage(res.body)], [
      500,
      "Dynamic Field OtaiMarks could not be set, please contact the system administrator",
    ]);
    const t10 = emu.tickets.get(10)!;
    deepStrictEqual([t10.State, t10.Articles.length, t10.DynamicField.OtaiMarks], [
      "open",
      2,
      undefined,
    ]);
  });
  await t.step("a move into a queue without move_into is HTTP 500 with a faultstring", async () => {
    const res = await call(emu, "PATCH", "/Ticket/6", {
      UserLogin: "it",
      Password: "it-pw",
      Ticket: { Queue: "Billing", State: "open" },
    });
    deepStrictEqual([res.status, errorMessage(res.body)], [
      500,
      "Ticket queue could not be updated, please contact system administrator!",
    ]);
    strictEqual(emu.tickets.get(6)!.Queue, "IT::Network");
  });
});

Deno.test("ticketUpdate() asks for a TimeUnit where NeedAccountedTime is on", async () => {
  await using emu = await startOtoboEmulator({ needAccountedTime: true });
  const note = (extra: Record<string, unknown>) =>
    call(emu, "PATCH", "/Ticket/1", { ...AUTH, Article: { ...NOTE, ...extra } });
  strictEqual(
    errorMessage((await note({})).body),
    "TicketUpdate: Article->TimeUnit is required by sysconfig option!",
  );
  strictEqual(errorCode((await note({ TimeUnit: "5 min" })).body), "TicketUpdate.InvalidParameter");
  strictEqual(typeof (await note({ TimeUnit: 0 })).body.ArticleID, "number");
});
