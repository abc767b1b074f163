import { deepEqual, throws } from "node:assert/strict";
import { parseCsv, parseJsonl } from "./_records.ts";

Deno.test("parseCsv() parses RFC 4180 records", async (t) => {
  const cases: [string, string, Record<string, string>[]][] = [
    ["plain rows", "a,b\n1,2\n3,4\n", [{ a: "1", b: "2" }, { a: "3", b: "4" }]],
    ["CRLF line ends", "a,b\r\n1,2\r\n", [{ a: "1", b: "2" }]],
    ["no final line end", "a,b\n1,2", [{ a: "1", b: "2" }]],
    ["quoted comma", 'a,b\n"x, y",2\n', [{ a: "x, y", b: "2" }]],
    ["doubled quotes", 'a\n"say ""hi"""\n', [{ a: 'say "hi"' }]],
    ["newlines in quotes", 'a,b\n"line 1\r\nline 2\nline 3",z\n', [{
      a: "line 1\r\nline 2\nline 3",
      b: "z",
    }]],
    ["empty fields", "a,b,c\n,,\n", [{ a: "", b: "", c: "" }]],
    ["empty quoted field", 'a,b\n"",x\n', [{ a: "", b: "x" }]],
    ["trailing empty field", "a,b\n1,\n", [{ a: "1", b: "" }]],
    ["missing fields", "a,b,c\n1\n", [{ a: "1", b: "", c: "" }]],
    ["extra fields dropped", "a\n1,2\n", [{ a: "1" }]],
    ["blank lines skipped", "a\n\n1\r\n\r\n2\n", [{ a: "1" }, { a: "2" }]],
    ["byte order mark", "\ufeffa\n1\n", [{ a: "1" }]],
    ["header only", "a,b\n", []],
    ["empty text", "", []],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => deepEqual(parseCsv(text), expected));
  }
});

Deno.test("parseCsv() rejects malformed quoting", async (t) => {
  await t.step("unterminated quote", () => {
    throws(() => parseCsv('a\n"open\n'), (error: Error) => {
      return error instanceof SyntaxError && /never closed/.test(error.message);
    });
  });
  await t.step("text after closing quote", () => {
    throws(() => parseCsv('a\n"x"y\n'), SyntaxError);
  });
});

Deno.test("parseCsv() handles a large generated file", () => {
  const lines = ["subject,body"];
  for (let i = 0; i < 20_000; i++) lines.push(`s${i},"body ${i}, with ""quotes""\nand a line"`);
  const rows = parseCsv(lines.join("\r\n"));
  deepEqual(rows.length, 20_000);
  deepEqual(rows[19_999], { subject: "s19999", body: 'body 19999, with "quotes"\nand a line' });
});

Deno.test("parseJsonl() parses one object per line", async (t) => {
  await t.step("skips blank lines and CRLF", () => {
    deepEqual(parseJsonl('{"a":1}\r\n\r\n  \n{"a":2}'), [{ a: 1 }, { a: 2 }]);
  });
  await t.step("empty text", () => deepEqual(parseJsonl(""), []));
  await t.step("names the line of invalid JSON", () => {
    throws(() => parseJsonl('{"a":1}\n{"a":\n'), /line 2 is not valid JSON/);
  });
  await t.step("rejects non-objects", () => {
    throws(() => parseJsonl("[1]\n"), /line 1 holds an array/);
    throws(() => parseJsonl("null\n"), /line 1 holds null/);
    throws(() => parseJsonl('"x"\n'), /line 1 holds a string/);
  });
});
