import { deepStrictEqual } from "node:assert/strict";
import { type CsvRow, readCsv } from "./mod.ts";

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
  ["an unclosed quote ends with its line; the next line is read", 'a\n"never\nclosed\n', [
    { line: 1, fields: ["a"] },
    { line: 2, fields: ["never"], problem: { kind: "unclosed_quote", field: 1, line: 2 } },
    { line: 3, fields: ["closed"] },
  ]],
  ["an unclosed quote keeps its doubled quotes and ends at a CRLF", 'a,"b ""c""\r\nd\r\n', [
    { line: 1, fields: ["a", 'b "c"'], problem: { kind: "unclosed_quote", field: 2, line: 1 } },
    { line: 2, fields: ["d"] },
  ]],
  ["an unclosed quote after a quoted line break names the line it opens on", '1,"x\ny","z\n2\n', [
    { line: 1, fields: ["1", "x\ny", "z"], problem: { kind: "unclosed_quote", field: 3, line: 2 } },
    { line: 3, fields: ["2"] },
  ]],
  ["an unclosed quote on the last line", 'a\n"b', [
    { line: 1, fields: ["a"] },
    { line: 2, fields: ["b"], problem: { kind: "unclosed_quote", field: 1, line: 2 } },
  ]],
  ["a quote closed on a later line with text after it is read as unclosed", '1,"a\n2,"b",c\n', [
    { line: 1, fields: ["1", "a"], problem: { kind: "unclosed_quote", field: 2, line: 1 } },
    { line: 2, fields: ["2", "b", "c"] },
  ]],
  ["a quoted line break closed on a later line stays one field", '"a\nb"\n"c\nd",e\n', [
    { line: 1, fields: ["a\nb"] },
    { line: 3, fields: ["c\nd", "e"] },
  ]],
  ["every unclosed quote is reported", '"a\n"b\nc\n', [
    { line: 1, fields: ["a"], problem: { kind: "unclosed_quote", field: 1, line: 1 } },
    { line: 2, fields: ["b"], problem: { kind: "unclosed_quote", field: 1, line: 2 } },
    { line: 3, fields: ["c"] },
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

Deno.test("readCsv() reports each of 50,000 unclosed quotes on its own line", () => {
  // Each unclosed quote ends with its line: were it to run to the end of the text, as it once
  // did, there would be one problem, and reading would be quadratic.
  const text = '"x"",y\n'.repeat(50_000);
  let n = 0;
  for (const row of readCsv(text)) if (row.problem?.kind === "unclosed_quote") n++;
  deepStrictEqual(n, 50_000);
});
