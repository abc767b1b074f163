import { deepStrictEqual } from "node:assert/strict";
import { type CsvRecord, parseCsv } from "./_csv.ts";

const CASES: [string, string, CsvRecord[]][] = [
  ["plain fields, LF", "a,b\n1,2\n", [{ line: 1, fields: ["a", "b"] }, {
    line: 2,
    fields: ["1", "2"],
  }]],
  ["CRLF and no final line break", "a,b\r\n1,2", [{ line: 1, fields: ["a", "b"] }, {
    line: 2,
    fields: ["1", "2"],
  }]],
  ["a quoted comma", '"x,y",z\n', [{ line: 1, fields: ["x,y", "z"] }]],
  ["doubled quotes", '"say ""hi""",""\n', [{ line: 1, fields: ['say "hi"', ""] }]],
  [
    "line breaks inside quotes count toward the next record's line",
    'h\n"one\r\ntwo\nthree"\nnext\n',
    [
      { line: 1, fields: ["h"] },
      { line: 2, fields: ["one\r\ntwo\nthree"] },
      { line: 5, fields: ["next"] },
    ],
  ],
  ["empty fields and a trailing comma", ",a,\n", [{ line: 1, fields: ["", "a", ""] }]],
  ["a byte order mark is ignored", "\ufeffid\n1\n", [{ line: 1, fields: ["id"] }, {
    line: 2,
    fields: ["1"],
  }]],
  ["blank lines are skipped", "a\n\n\r\nb\n", [{ line: 1, fields: ["a"] }, {
    line: 4,
    fields: ["b"],
  }]],
  ["a lone CR ends a line", "a\rb", [{ line: 1, fields: ["a"] }, { line: 2, fields: ["b"] }]],
  [
    "text after a closing quote is an error; the next line is read",
    '"a"b,c\nok\n',
    [
      {
        line: 1,
        error: "field 1 has text after its closing quote; quote the whole field and double " +
          "any quote inside it",
      },
      { line: 2, fields: ["ok"] },
    ],
  ],
  [
    "a quote in an unquoted field is an error",
    'x,5" screen\nok\n',
    [
      {
        line: 1,
        error: "field 2 has a quote but is not quoted; quote the whole field and double the " +
          "quote inside it",
      },
      { line: 2, fields: ["ok"] },
    ],
  ],
  [
    "an unclosed quote is an error at the line it opens; the next line is read",
    'a\n"never\nclosed\n',
    [
      { line: 1, fields: ["a"] },
      {
        line: 2,
        error: "the quoted field is never closed (field 1); close it with a double quote and " +
          "double any quote inside it; reading went on at line 3",
      },
      { line: 3, fields: ["closed"] },
    ],
  ],
  [
    "an unclosed quote after a quoted line break names the line it opens on",
    'id,body,x\n1,"two\nlines","open\n2,b,c\n',
    [
      { line: 1, fields: ["id", "body", "x"] },
      {
        line: 2,
        error: "the quoted field is never closed (field 3, opened on line 3); close it with a " +
          "double quote and double any quote inside it; reading went on at line 4",
      },
      { line: 4, fields: ["2", "b", "c"] },
    ],
  ],
];

Deno.test("parseCsv() makes a record holding invalid UTF-8 an error", async (t) => {
  const error = (offset: number, line = "") => ({
    error: `the row holds invalid UTF-8 at byte offset ${offset}${line}; save the file as ` +
      "UTF-8 and import it again",
  });
  const text = 'a\n"b\n\ufffd"\n\nc\ufffd\n\ufffd\nd\n';
  const cases: [string, { offset: number; line: number }[], CsvRecord[]][] = [
    ["none", [], [
      { line: 1, fields: ["a"] },
      { line: 2, fields: ["b\n\ufffd"] },
      { line: 5, fields: ["c\ufffd"] },
      { line: 6, fields: ["\ufffd"] },
      { line: 7, fields: ["d"] },
    ]],
    ["on a quoted line, then on two records' lines", [{ offset: 5, line: 3 }, {
      offset: 11,
      line: 5,
    }, { offset: 15, line: 6 }], [
      { line: 1, fields: ["a"] },
      { line: 2, ...error(5, " (line 3)") },
      { line: 5, ...error(11) },
      { line: 6, ...error(15) },
      { line: 7, fields: ["d"] },
    ]],
    ["on the last record", [{ offset: 20, line: 7 }], [
      { line: 1, fields: ["a"] },
      { line: 2, fields: ["b\n\ufffd"] },
      { line: 5, fields: ["c\ufffd"] },
      { line: 6, fields: ["\ufffd"] },
      { line: 7, ...error(20) },
    ]],
  ];
  for (const [name, invalid, expected] of cases) {
    await t.step(name, () => deepStrictEqual([...parseCsv(text, { invalid })], expected));
  }
});

Deno.test("parseCsv() reads RFC 4180 records with their line numbers", async (t) => {
  for (const [name, text, expected] of CASES) {
    await t.step(name, () => deepStrictEqual([...parseCsv(text)], expected));
  }
});

Deno.test("parseCsv() reads a large file", () => {
  const row = '1,"a ""quoted"", multi\nline",plain,x;y\r\n';
  const text = "id,body,queue,tags\r\n" + row.repeat(20_000);
  let n = 0;
  for (const r of parseCsv(text)) if (r.fields?.length === 4) n++;
  deepStrictEqual(n, 20_001);
});
