import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { MAX_IMPORT_BYTES } from "./_import_text.ts";
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
  const file = await s.write("in.csv", CSV);
  const result = await s.store.importFile(file);
  const errors = [
    { line: 5, message: "the row has 4 fields but the header has 10; quote fields holding commas" },
    {
      line: 7,
      message: "field 2 has text after its closing quote; quote the whole field and double " +
        "any quote inside it",
    },
  ];
  deepStrictEqual(result, {
    imported: 4,
    skipped: 2,
    existing: 0,
    duplicates: 0,
    errors,
    warnings: errors.map((e) => `${file} line ${e.line}: ${e.message} (row skipped)`),
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
  await t.step("a UTF-16 file", async () => {
    const file = `${s.dir}/utf16.csv`;
    await Deno.writeFile(file, new Uint8Array([0xff, 0xfe, 0x69, 0, 0x64, 0, 0x0a, 0]));
    await rejects(s.store.importFile(file), {
      name: "SyntaxError",
      message: `Cannot import "${file}": the file is UTF-16 (it starts with a UTF-16 byte order ` +
        "mark); save it as UTF-8 and import it again",
    });
  });
  await t.step("a CSV header naming a column twice", async () => {
    await rejects(s.store.importFile(await s.write("d.csv", "id,queue,Queue\n")), {
      message: /names column "queue" twice; keep one/,
    });
  });
});

Deno.test("TicketStore.importFile() imports 10,000 CSV rows with quotes and line breaks", async () => {
  await using s = await tempStore();
  const rows = ["id,subject,body,queue,priority,tags,state"];
  for (let i = 0; i < 10_000; i++) {
    rows.push(
      `T${i},"Subject ${i}","Body, with ""quotes""\nand lines ${i}",Q${i % 7},p${i % 3},a;b,new`,
    );
  }
  const file = await s.write("big.csv", rows.join("\r\n"));
  const result = await s.store.importFile(file);
  deepStrictEqual([result.imported, result.skipped], [10_000, 0]);
  strictEqual(s.store.search({ limit: 10_000, queue: "Q3" }).length, 1429);
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

Deno.test("TicketStore.importFile() reads on after an unclosed quote and names its line", async () => {
  await using s = await tempStore();
  const rows = [
    "id,subject,body",
    "1,a,x",
    "2,b,x",
    "3,c,x",
    "4,d,x",
    '5,"e,x',
    "6,f,x",
    '7,"g, h",x',
  ];
  const file = await s.write("incoming.csv", rows.join("\n") + "\n");
  const result = await s.store.importFile(file);
  const message = "the quoted field is never closed (field 2); close it with a double quote " +
    "and double any quote inside it; reading went on at line 7";
  deepStrictEqual(result, {
    imported: 6,
    skipped: 1,
    existing: 0,
    duplicates: 0,
    errors: [{ line: 6, message }],
    warnings: [`${file} line 6: ${message} (row skipped)`],
  });
  deepStrictEqual(s.store.search({ limit: 10 }).map((t) => t.id), ["1", "2", "3", "4", "6", "7"]);
});

Deno.test("TicketStore.importFile() skips a row with invalid UTF-8 by its line", async () => {
  await using s = await tempStore();
  const file = `${s.dir}/latin1.csv`;
  const head = new TextEncoder().encode("id,subject\n1,caf\u00e9\n");
  const bad = new Uint8Array([
    ...new TextEncoder().encode("M"),
    0xfc,
    ...new TextEncoder().encode("ller,x\n"),
  ]);
  await Deno.writeFile(
    file,
    new Uint8Array([...head, ...bad, ...new TextEncoder().encode("3,ok\n")]),
  );
  const result = await s.store.importFile(file);
  deepStrictEqual([result.imported, result.skipped], [2, 1]);
  deepStrictEqual(result.errors, [{
    line: 3,
    message: `the row holds invalid UTF-8 at byte offset ${head.length + 1}; save the file as ` +
      "UTF-8 and import it again",
  }]);
  strictEqual(s.store.get("1")?.subject, "caf\u00e9");
  ok(s.store.search({ limit: 10 }).every((t) => !t.id.includes("\ufffd")), "no U+FFFD id");
});

Deno.test("TicketStore.importFile() refuses a file over the size limit before reading it", async () => {
  await using s = await tempStore();
  const file = await s.write("huge.csv", "id\n1\n");
  await Deno.truncate(file, MAX_IMPORT_BYTES + 1);
  await rejects(s.store.importFile(file), {
    name: "RangeError",
    message: `Cannot import "${file}": it is ${MAX_IMPORT_BYTES + 1} bytes, over the limit of ` +
      `256 MiB (${MAX_IMPORT_BYTES} bytes) an import file may have; split it into smaller files`,
  });
  strictEqual(s.store.get("1"), null);
});

Deno.test("TicketStore.importFile() refuses a path that is not a file", async () => {
  await using s = await tempStore();
  await rejects(s.store.importFile(`${s.dir}/`, { format: "csv" }), {
    name: "TypeError",
    message: /^Cannot import ".*": it is not a file; give the path of a CSV or JSONL file/,
  });
});

Deno.test("TicketStore.importFile() counts a repeated id once and reports it", async () => {
  await using s = await tempStore();
  const file = await s.write("dup.csv", "id,subject\n7,first\n8,other\n7,second\n");
  const result = await s.store.importFile(file);
  deepStrictEqual([result.imported, result.duplicates, result.skipped], [2, 1, 0]);
  deepStrictEqual(result.warnings, [
    `${file} line 4: id "7" repeats line 2; this later row wins (its fields replace those of ` +
    "line 2); remove one of the two rows if line 2 should win",
  ]);
  strictEqual(s.store.get("7")?.subject, "second");
});
