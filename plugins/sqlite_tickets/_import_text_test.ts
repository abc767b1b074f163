import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { openDatabase } from "./_schema.ts";
import { prepareStatements, type Statements } from "./_statements.ts";
import { importText, MAX_WARNINGS_KEPT } from "./_import_text.ts";

const AT = "2024-01-01T00:00:00.000Z";

/** A fresh in-memory store's statements; disposing closes it. */
function memory(): Statements & Disposable {
  const db = openDatabase(":memory:");
  return { ...prepareStatements(db), [Symbol.dispose]: () => db.close() };
}

function subject(sql: Statements, id: string): unknown {
  return (sql.ticket.get(id) as { subject?: string } | undefined)?.subject;
}

Deno.test("importText() counts a repeated id once; the later row wins", async (t) => {
  await t.step("CSV", () => {
    using sql = memory();
    const text = "id,subject,queue\n7,first,IT\n8,other,IT\n7,second,\n7,third,HR\n";
    const result = importText(sql, text, { file: "in.csv", format: "csv", at: AT });
    deepStrictEqual([result.imported, result.duplicates, result.skipped, result.errors], [
      2,
      2,
      0,
      [],
    ]);
    deepStrictEqual(
      result.warnings,
      [4, 5].map((line) =>
        `in.csv line ${line}: id "7" repeats line 2; this later row wins (its fields replace ` +
        "those of line 2); remove one of the two rows if line 2 should win"
      ),
    );
    strictEqual(subject(sql, "7"), "third");
  });
  await t.step("JSONL, numeric and string ids alike", () => {
    using sql = memory();
    const text = '{"id":7,"subject":"a"}\n{"id":"7","subject":"b"}\n';
    const result = importText(sql, text, { file: "in.jsonl", format: "jsonl", at: AT });
    deepStrictEqual([result.imported, result.duplicates], [1, 1]);
    deepStrictEqual(result.warnings, [
      'in.jsonl line 2: id "7" repeats line 1; this later row wins (its fields replace those ' +
      "of line 1); remove one of the two rows if line 1 should win",
    ]);
    strictEqual(subject(sql, "7"), "b");
  });
  await t.step("rows without an id that derive the same one", () => {
    using sql = memory();
    const text = "subject,body\nPrinter,jams\nPrinter,jams\n";
    const result = importText(sql, text, { file: "in.csv", format: "csv", at: AT });
    deepStrictEqual([result.imported, result.duplicates], [1, 1]);
    deepStrictEqual(result.warnings, [
      "in.csv line 3: the row has no id and the same subject, body and customer as line 2, " +
      "so both get the id " + `"${sql.db.prepare("SELECT id FROM tickets").get()!.id}"` +
      ", and this later row wins; give each row an id, or remove one of them",
    ]);
  });
});

Deno.test("importText() with onlyNew: a repeat wins over a new row, not a stored one", () => {
  using sql = memory();
  importText(sql, "id,subject\n1,stored\n", { file: "a.csv", format: "csv", at: AT });
  const text = "id,subject\n1,again\n2,new\n1,again 2\n2,new 2\n";
  const result = importText(sql, text, { file: "b.csv", format: "csv", at: AT, onlyNew: true });
  deepStrictEqual([result.imported, result.existing, result.duplicates], [1, 1, 2]);
  deepStrictEqual([subject(sql, "1"), subject(sql, "2")], ["stored", "new 2"]);
  strictEqual(
    result.warnings[0],
    'b.csv line 4: id "1" repeats line 2; both are left alone, as only_new keeps the stored ' +
      "ticket; remove one of the two rows",
  );
});

Deno.test("importText() counts every row once: imported, existing, skipped or duplicate", () => {
  using sql = memory();
  const text = 'id,subject\n1,a\n1,b\n2,"c\n3,d\nx\n';
  const result = importText(sql, text, { file: "in.csv", format: "csv", at: AT });
  deepStrictEqual(
    [result.imported, result.existing, result.skipped, result.duplicates],
    [2, 0, 2, 1],
  );
  deepStrictEqual(result.errors.map((e) => e.line), [4, 6]);
  deepStrictEqual(result.warnings.map((w) => w.slice(0, w.indexOf(":"))), [
    "in.csv line 3",
    "in.csv line 4",
    "in.csv line 6",
  ]);
});

Deno.test("importText() keeps the first 100 warnings and says how many more there are", () => {
  using sql = memory();
  const text = "id,subject\n1,a\n" + "1,a\n".repeat(60) + "x\n".repeat(90);
  const result = importText(sql, text, { file: "in.csv", format: "csv", at: AT });
  deepStrictEqual([result.duplicates, result.skipped], [60, 90]);
  strictEqual(result.warnings.length, MAX_WARNINGS_KEPT + 1);
  strictEqual(result.warnings[MAX_WARNINGS_KEPT - 1]!.slice(0, 16), "in.csv line 102:");
  strictEqual(
    result.warnings.at(-1),
    "... and 50 more rows of in.csv with warnings (only the first 100 are listed)",
  );
});
