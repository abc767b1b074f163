import { deepStrictEqual } from "node:assert/strict";
import { type CsvRow, readCsv } from "./_csv.ts";

const CASES: [string, string, CsvRow[]][] = [
  ["plain fields, CRLF", "a,b\r\n1,2\r\n", [{ line: 1, fields: ["a", "b"] }, {
    line: 2,
    fields: ["1", "2"],
  }]],
  ["a quoted field keeps commas, quotes and line breaks", 'x,"a,""b""\nc"\ny\n', [
    { line: 1, fields: ["x", 'a,"b"\nc'] },
    { line: 3, fields: ["y"] },
  ]],
  ["blank lines and a byte order mark are skipped", "\ufeff\n\r\na\n", [
    { line: 3, fields: ["a"] },
  ]],
  ["a bare quote keeps the field as written", 'x,5" screen\n', [
    { line: 1, fields: ["x", '5" screen'], problem: { kind: "bare_quote", field: 2 } },
  ]],
  ["text after a closing quote drops the rest of the line", '"a"b,c\nok\n', [
    { line: 1, fields: ["a"], problem: { kind: "text_after_quote", field: 1 } },
    { line: 2, fields: ["ok"] },
  ]],
  ["an unclosed quote runs to the end of the text", 'a\n"never\nclosed\n', [
    { line: 1, fields: ["a"] },
    { line: 2, fields: ["never\nclosed\n"], problem: { kind: "unclosed_quote" } },
  ]],
  ["the first bare quote of a record is the one reported", 'a"b,c"d\n', [
    { line: 1, fields: ['a"b', 'c"d'], problem: { kind: "bare_quote", field: 1 } },
  ]],
  ["a quoting problem outweighs a bare quote", 'a"b,"c"d\n', [
    { line: 1, fields: ['a"b', "c"], problem: { kind: "text_after_quote", field: 2 } },
  ]],
];

Deno.test("readCsv() reads records with their lines and problems", async (t) => {
  for (const [name, text, expected] of CASES) {
    await t.step(name, () => deepStrictEqual([...readCsv(text)], expected));
  }
});
