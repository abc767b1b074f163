import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { decodeUtf8 } from "./_csv.ts";
import { MAX_FIELD_BYTES, MAX_ID_CHARS, readRecords, type RecordItem } from "./_records.ts";

const encoder = new TextEncoder();
const loose = new TextDecoder("utf-8", { ignoreBOM: true });

/** The bytes of text parts and raw byte lists, in order. */
function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => typeof p === "string" ? encoder.encode(p) : new Uint8Array(p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}

/** The error of each row, or its id. */
function outcomes(items: Iterable<RecordItem>): (string | [number, string])[] {
  return [...items].map((i) => i.error === undefined ? i.record.id : [i.line, i.error]);
}

const ID_RULE = "an id is 1 to 200 characters without control characters";

Deno.test("decodeUtf8() decodes as TextDecoder does and finds each line's first bad byte", async (t) => {
  await t.step("valid text keeps its byte order mark", () => {
    deepStrictEqual(decodeUtf8(bytes("\ufeffid\n\u00e9\u{1f600}\n")), {
      text: "\ufeffid\n\u00e9\u{1f600}\n",
      invalid: [],
    });
  });
  await t.step("offsets, lines (LF, CRLF or a lone CR) and text indexes", () => {
    const input = bytes("a\n", [0xff], "b", [0xc3], "\r\nc", [0xe2, 0x82], "\u{1f600}\r", [
      0xed,
      0xa0,
      0x80,
    ]);
    const { text, invalid } = decodeUtf8(input);
    strictEqual(text, loose.decode(input));
    deepStrictEqual(invalid, [
      { offset: 2, line: 2, index: 2 },
      { offset: 8, line: 3, index: 8 },
      { offset: 15, line: 4, index: 12 },
    ]);
  });
  await t.step("matches TextDecoder on random bytes", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pool = [0x0a, 0x0d, 0x41, 0x80, 0xbf, 0xc2, 0xc3, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4];
    for (let round = 0; round < 2000; round++) {
      const input = new Uint8Array(1 + Math.floor(random() * 24));
      for (let i = 0; i < input.length; i++) {
        input[i] = random() < 0.5 ? pool[Math.floor(random() * pool.length)]! : random() * 256;
      }
      const { text, invalid } = decodeUtf8(input);
      strictEqual(text, loose.decode(input));
      for (const bad of invalid) {
        strictEqual(loose.decode(input.subarray(0, bad.offset)).length, bad.index);
        strictEqual(text[bad.index], "\ufffd");
        strictEqual(text.slice(0, bad.index).split(/\r\n|\r|\n/).length, bad.line);
      }
      const lines = text.split(/\r\n|\r|\n/).flatMap((l, i) => l.includes("\ufffd") ? [i + 1] : []);
      if (!input.join(",").includes("239,191,189")) {
        deepStrictEqual(invalid.map((b) => b.line), lines, `round ${round}`);
      }
    }
  });
  await t.step("a UTF-16 file is refused with what to do", () => {
    for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
      throws(() => decodeUtf8(bytes(bom, "i")), {
        name: "SyntaxError",
        message: "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as " +
          "UTF-8 and import it again",
      });
    }
  });
});

Deno.test("readRecords() skips rows with invalid UTF-8, naming the byte offset", async (t) => {
  const fix = "save the file as UTF-8 and import it again";
  await t.step("CSV: the row holding it, even in a quoted line break", () => {
    const input = bytes('id,body\n1,ok\n2,"line\nM', [0xfc], 'ller"\n3,', [0xe9], "\n4,ok\n");
    deepStrictEqual(outcomes(readRecords(input, "csv")), [
      "1",
      [3, `the row holds invalid UTF-8 at byte offset 22 (line 4); ${fix}`],
      [5, `the row holds invalid UTF-8 at byte offset 31; ${fix}`],
      "4",
    ]);
  });
  await t.step("CSV: in the header row the file is refused", () => {
    throws(() => [...readRecords(bytes("id,b", [0xe9], "\n1,x\n"), "csv")], {
      name: "SyntaxError",
      message: `the header row (line 1) is malformed: the row holds invalid UTF-8 at byte ` +
        `offset 4; ${fix}`,
    });
  });
  await t.step("JSONL: the line holding it", () => {
    const input = bytes('{"id":"1"}\n{"id":"M', [0xfc], 'ller"}\r\n{"id":"3"}');
    deepStrictEqual(outcomes(readRecords(input, "jsonl")), [
      "1",
      [2, `the line holds invalid UTF-8 at byte offset 19; ${fix}`],
      "3",
    ]);
  });
});

Deno.test("readRecords() checks ids and says the rule", async (t) => {
  const long = "x".repeat(MAX_ID_CHARS + 1);
  const astral = "\u{1f600}".repeat(MAX_ID_CHARS);
  const derived = [...readRecords("subject\nx\n", "csv")][0]!.record!.id;
  const cases: [string, string, "csv" | "jsonl", (string | [number, string])[]][] = [
    ["a NUL in a CSV id", "id\na\0b\n", "csv", [[
      2,
      `the id holds the control character U+0000 (character 2); ${ID_RULE}: remove it`,
    ]]],
    ["a tab inside an id", 'id\n"a\tb"\n', "csv", [[
      2,
      `the id holds the control character U+0009 (character 2); ${ID_RULE}: remove it`,
    ]]],
    ["a control character in a JSONL id", '{"id":"\\u009fz"}\n', "jsonl", [[
      1,
      `the id holds the control character U+009F (character 1); ${ID_RULE}: remove it`,
    ]]],
    ["an id over the limit", `id\n${long}\n${long.slice(1)}\n`, "csv", [
      [2, `the id is ${MAX_ID_CHARS + 1} characters long; ${ID_RULE}: shorten it`],
      long.slice(1),
    ]],
    ["characters, not UTF-16 units, count", `{"id":"${astral}"}\n`, "jsonl", [astral]],
    ["spaces around an id are trimmed", 'id,subject\n" 7\t",x\n', "csv", ["7"]],
    ["a blank id means none: the id is derived", "id,subject\n  ,x\n", "csv", [derived]],
  ];
  for (const [name, text, format, expected] of cases) {
    await t.step(name, () => deepStrictEqual(outcomes(readRecords(text, format)), expected));
  }
});

Deno.test("readRecords() refuses NUL characters, lone surrogates and fields over 1 MiB", async (t) => {
  const big = "x".repeat(MAX_FIELD_BYTES);
  const over = (bytes: number, name = "body") =>
    `"${name}" is ${bytes} bytes as UTF-8, over the limit of 1 MiB (${MAX_FIELD_BYTES} bytes) ` +
    "a field may hold; shorten it";
  const cases: [string, string, "csv" | "jsonl", (string | [number, string])[]][] = [
    ["a NUL in a CSV field", "id,body\n1,a\0\n2,b\n", "csv", [
      [2, '"body" holds a NUL character (U+0000); remove it'],
      "2",
    ]],
    ["a NUL escape in a JSONL value", '{"id":"1","queue":"\\u0000"}\n', "jsonl", [
      [1, '"queue" holds a NUL character (U+0000); remove it'],
    ]],
    ["a raw NUL in a JSONL line", '{"id":"1"}\0\n{"id":"2"}\n', "jsonl", [
      [
        1,
        "the line holds a NUL character (U+0000); remove it (a file full of them is UTF-16: " +
        "save it as UTF-8)",
      ],
      "2",
    ]],
    ["a lone surrogate escape in JSONL", '{"id":"1","body":"\\ud800"}\n', "jsonl", [
      [1, '"body" holds a lone surrogate (a \\ud800-\\udfff escape without its pair); fix it'],
    ]],
    ["a field of exactly 1 MiB", `id,body\n1,${big}\n`, "csv", ["1"]],
    ["a field one byte over", `id,body\n1,${big}x\n2,y\n`, "csv", [
      [2, over(MAX_FIELD_BYTES + 1)],
      "2",
    ]],
    [
      "bytes are counted as UTF-8",
      `id,body\n1,${"\u00e9".repeat(MAX_FIELD_BYTES / 2)}\u00e9\n`,
      "csv",
      [
        [2, over(MAX_FIELD_BYTES + 2)],
      ],
    ],
    [
      "JSONL tags count together",
      JSON.stringify({ id: "1", tags: [big.slice(1), "ab"] }),
      "jsonl",
      [[1, over(MAX_FIELD_BYTES + 2, "tags")]],
    ],
  ];
  for (const [name, text, format, expected] of cases) {
    await t.step(name, () => deepStrictEqual(outcomes(readRecords(text, format)), expected));
  }
  await t.step("a header full of NULs says the file is UTF-16", () => {
    throws(() => [...readRecords("i\0d\0\n", "csv")], {
      name: "SyntaxError",
      message:
        /^the header row holds NUL characters, so the file is likely UTF-16; save it as UTF-8/,
    });
  });
});
