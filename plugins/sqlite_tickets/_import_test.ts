import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { manualClock, tempStore } from "./_testing.ts";

const CSV = [
  "ID,Subject,Body,Queue,Priority,Type,Customer,Tags,State,Extra",
  '1,Printer,"Tray 2 jams, again",IT,high,Incident,ada@example.com,hw;printer,new,x',
  '2,"Invoice ""March""","line one\r\nline two",Billing,low,,bob@example.com,"billing, q1",,y',
  "3,too,few,fields",
  ',No id,"derived, stable",IT,normal,,carol@example.com,,,z',
  '4,"broken "quote,x,IT,low,,,,,',
  "5,Last,ok,IT,low,,,,open,",
].join("\r\n") + "\r\n";

Deno.test("TicketStore.importFile() imports CSV, reporting malformed rows by line", async () => {
  await using s = await tempStore({ now: manualClock("2024-01-01T00:00:00Z").now });
  const result = await s.store.importFile(await s.write("in.csv", CSV));
  deepStrictEqual(result, {
    imported: 4,
    skipped: 2,
    existing: 0,
    errors: [
      {
        line: 5,
        message: "the row has 4 fields but the header has 10; quote fields holding commas",
      },
      {
        line: 7,
        message: "field 2 has text after its closing quote; quote the whole field and double " +
          "any quote inside it",
      },
    ],
  });
  deepStrictEqual(s.store.get("1"), {
    id: "1",
    subject: "Printer",
    body: "Tray 2 jams, again",
    queue: "IT",
    priority: "high",
    state: "new",
    type: "Incident",
    customer: "ada@example.com",
    tags: ["hw", "printer"],
    notes: [],
    updated_at: "2024-01-01T00:00:00.000Z",
  });
  const two = s.store.get("2")!;
  deepStrictEqual([two.subject, two.body, two.tags, two.state], [
    'Invoice "March"',
    "line one\r\nline two",
    ["billing", "q1"],
    undefined,
  ]);
  const derived = s.store.search({ limit: 10 }).find((t) => t.subject === "No id")!;
  match(derived.id, /^imp-[0-9a-f]{16}$/);
  strictEqual(s.store.get("5")!.state, "open");
});

Deno.test("TicketStore.importFile() upserts by id: stable ids, untouched rows, kept fields", async () => {
  const clock = manualClock("2024-01-01T00:00:00Z");
  await using s = await tempStore({ now: clock.now });
  const file = await s.write("in.csv", CSV);
  await s.store.importFile(file);
  const before = s.store.search({ limit: 10 });
  clock.set("2024-02-01T00:00:00Z");
  await s.store.importFile(file);
  deepStrictEqual(s.store.search({ limit: 10 }), before, "the same file changes nothing");
  await s.store.importFile(await s.write("moves.csv", "id,queue\n1,Hardware\n"));
  const one = s.store.get("1")!;
  deepStrictEqual([one.queue, one.subject, one.tags, one.updated_at], [
    "Hardware",
    "Printer",
    ["hw", "printer"],
    "2024-02-01T00:00:00.000Z",
  ]);
  strictEqual(s.store.history().length, 0, "imports are not changes in the history");
});

Deno.test("TicketStore.importFile() imports JSONL with typed values and per-line errors", async () => {
  await using s = await tempStore();
  const lines = [
    JSON.stringify({ id: 10, subject: "Numeric id", priority: 3, tags: ["a", "a", " b "] }),
    "",
    "{not json",
    JSON.stringify([1, 2]),
    JSON.stringify({ id: "11", subject: ["x"] }),
    JSON.stringify({ id: "12", body: "ok", tags: "x;y", updated_at: "2024-05-01T02:00:00+02:00" }),
    JSON.stringify({ id: "13", body: "bad time", updated_at: "soon" }),
    JSON.stringify({ queue: "IT" }),
  ].join("\n");
  const result = await s.store.importFile(await s.write("in.ndjson", lines));
  strictEqual(result.imported, 2);
  strictEqual(result.skipped, 5);
  deepStrictEqual(result.errors.map((e) => e.line), [3, 4, 5, 7, 8]);
  match(result.errors[0]!.message, /^the line is not valid JSON/);
  strictEqual(
    result.errors[1]!.message,
    "the line is not a JSON object; write one ticket object a line",
  );
  strictEqual(result.errors[2]!.message, '"subject" must be a string');
  strictEqual(result.errors[3]!.message, '"updated_at" is not an ISO 8601 time: "soon"');
  strictEqual(
    result.errors[4]!.message,
    "the row has no id, subject or body; give it at least one",
  );
  const ten = s.store.get("10")!;
  deepStrictEqual([ten.priority, ten.tags, ten.queue, ten.body], ["3", ["a", "b"], "", ""]);
  strictEqual(s.store.get("12")!.updated_at, "2024-05-01T00:00:00.000Z");
});

Deno.test("TicketStore.importFile() refuses unusable files with what to do", async (t) => {
  await using s = await tempStore();
  await t.step("an unknown extension without format", async () => {
    await rejects(s.store.importFile(await s.write("in.txt", "id\n1\n")), {
      name: "TypeError",
      message: /its extension does not say its format; name it \.csv or \.jsonl, or pass format/,
    });
  });
  await t.step("format overrides the extension", async () => {
    const r = await s.store.importFile(await s.write("in.txt", "id,subject\n1,x\n"), {
      format: "csv",
    });
    strictEqual(r.imported, 1);
  });
  await t.step("a missing file", async () => {
    await rejects(s.store.importFile(`${s.dir}/missing.csv`), {
      name: "NotFound",
      message: /^Cannot import ".*missing\.csv": there is no such file; check the path/,
    });
  });
  await t.step("a CSV header naming no ticket column", async () => {
    await rejects(s.store.importFile(await s.write("h.csv", "foo,bar\n1,2\n")), {
      name: "SyntaxError",
      message: /^Cannot import ".*h\.csv": the header row names no "id", "subject" or "body"/,
    });
  });
  await t.step("a CSV header naming a column twice", async () => {
    await rejects(s.store.importFile(await s.write("d.csv", "id,queue,Queue\n")), {
      message: /names column "queue" twice; keep one/,
    });
  });
});

Deno.test("TicketStore.importFile() imports 10,000 CSV rows in well under a second", async () => {
  await using s = await tempStore();
  const rows = ["id,subject,body,queue,priority,tags,state"];
  for (let i = 0; i < 10_000; i++) {
    rows.push(
      `T${i},"Subject ${i}","Body, with ""quotes""\nand lines ${i}",Q${i % 7},p${i % 3},a;b,new`,
    );
  }
  const file = await s.write("big.csv", rows.join("\r\n"));
  const t0 = performance.now();
  const result = await s.store.importFile(file);
  const ms = performance.now() - t0;
  deepStrictEqual([result.imported, result.skipped], [10_000, 0]);
  strictEqual(s.store.search({ limit: 10_000, queue: "Q3" }).length, 1429);
  ok(ms < 1000, `importing 10k rows took ${ms.toFixed(0)}ms`);
});

Deno.test("TicketStore.importFile() keeps the first 100 errors and counts all", async () => {
  await using s = await tempStore();
  const text = "id,subject\n" + "x\n".repeat(250);
  const result = await s.store.importFile(await s.write("bad.csv", text));
  deepStrictEqual([result.imported, result.skipped, result.errors.length], [0, 250, 100]);
  deepStrictEqual(result.errors.at(-1)!.line, 101);
});

Deno.test("TicketStore.importFile() with only_new leaves stored tickets alone", async () => {
  await using s = await tempStore();
  const file = `${s.dir}/seed.csv`;
  await Deno.writeTextFile(file, "id,subject,queue\n1,Printer,Inbox\n2,VPN,Inbox\n");
  deepStrictEqual((await s.store.importFile(file)).imported, 2);
  s.store.update("1", { queue: "IT" });
  await Deno.writeTextFile(file, "id,subject,queue\n1,Printer,Inbox\n2,VPN,Inbox\n3,Mail,Inbox\n");
  const again = await s.store.importFile(file, { only_new: true });
  deepStrictEqual([again.imported, again.existing], [1, 2]);
  deepStrictEqual(s.store.get("1")?.queue, "IT");
  deepStrictEqual(s.store.get("3")?.queue, "Inbox");
});
