import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { operationError, OtoboError } from "./_errors.ts";
import { hasNote, remaining } from "./_write.ts";

const ARTICLE = { Subject: "otai triage", Body: "Routed." };
const MARK = { field: "OtaiMarks", key: "t", entry: { Name: "OtaiMarks", Value: "t" } };
const TICKET = { Queue: "Misc", State: "open" };
const BEFORE = {
  Queue: "Raw",
  State: "new",
  Article: [{ ArticleID: 4, SenderType: "customer", Subject: "Hi", Body: "Help" }],
};
const note = (id: number) => ({ ArticleID: id, SenderType: "agent", ...ARTICLE });

Deno.test("remaining() sends again only what the ticket does not show", async (t) => {
  const request = { ticket: TICKET, article: ARTICLE, mark: MARK };
  await t.step("nothing written: all of it", () => {
    deepStrictEqual(remaining(BEFORE, BEFORE, request), request);
  });
  await t.step("fields written: the fields go again with the rest", () => {
    deepStrictEqual(remaining(BEFORE, { ...BEFORE, ...TICKET }, request), request);
  });
  await t.step("fields and note written: no note", () => {
    const after = { ...TICKET, Article: [...BEFORE.Article, note(5)] };
    deepStrictEqual(remaining(BEFORE, after, request), {
      ticket: TICKET,
      article: undefined,
      mark: MARK,
    });
  });
  await t.step("a note like it from before does not count", () => {
    const before = { ...BEFORE, Article: [note(3), ...BEFORE.Article] };
    deepStrictEqual(remaining(before, { ...before, ...TICKET }, request), request);
  });
  await t.step("the mark in place: done", () => {
    const after = { ...TICKET, DynamicField: [{ Name: "OtaiMarks", Value: "x, t" }] };
    strictEqual(remaining(BEFORE, after, request), undefined);
  });
  await t.step("without a mark: done when the note and the fields are there", () => {
    const after = { ...TICKET, Article: [...BEFORE.Article, note(5)] };
    strictEqual(remaining(BEFORE, after, { ticket: TICKET, article: ARTICLE }), undefined);
    deepStrictEqual(remaining(BEFORE, BEFORE, { ticket: TICKET }), {
      ticket: TICKET,
      article: undefined,
      mark: undefined,
    });
  });
});

Deno.test("hasNote() finds an agent article by subject and body", () => {
  strictEqual(hasNote({ Article: [note(7)] }, ARTICLE), true);
  strictEqual(hasNote({ Article: [note(7)] }, ARTICLE, 7), false);
  strictEqual(hasNote({ Article: [{ ...note(7), SenderType: "customer" }] }, ARTICLE), false);
});

Deno.test("operationError() knows the refusal TicketUpdate makes after writing", () => {
  const ctx = {
    what: 'update ticket "1"',
    operation: "TicketUpdate",
    user: "otai",
    passwordEnv: "P",
    origin: "http://x",
  };
  const pending = operationError(
    "TicketUpdate.MissingParameter",
    "Can't set a ticket on a pending state without pendig time!",
    ctx,
  );
  deepStrictEqual([pending instanceof OtoboError, pending.outcome], [true, "partial"]);
  strictEqual(operationError("TicketUpdate.InvalidParameter", "x", ctx).outcome, "none");
});
