/**
 * CSV records as an import reads them: fields with the line each record starts on, or why a
 * record could not be read; and the strict UTF-8 decoding of an import file, which tells the
 * lines that hold invalid bytes (so only their records are errors).
 *
 * @module
 */
import { type CsvProblem, readCsv } from "@otai/csv";

/** One record of a CSV text, or why it could not be read; `line` is where it starts (from 1). */
export type CsvRecord =
  | { line: number; fields: string[]; error?: undefined }
  | { line: number; error: string; fields?: undefined };

/** Where the file held bytes that are not UTF-8 (see `decodeUtf8`). */
export interface InvalidUtf8 {
  /** The offset of the first such byte in the file, from 0. */
  offset: number;
  /** The line it is on, from 1, counted as the CSV reader counts (LF, CRLF or a lone CR). */
  line: number;
}

/** Options for {@linkcode parseCsv}. */
export interface ParseCsvOptions {
  /** Where the file held invalid UTF-8, in order: the records holding it are errors. */
  invalid?: readonly InvalidUtf8[];
}

/**
 * Reads the records of a CSV text one at a time. Blank lines are skipped. A malformed record
 * (an unclosed quote, text after a closing quote, a quote inside an unquoted field, invalid
 * UTF-8) is yielded as an error, and reading goes on with the next line; an unclosed quote is
 * taken to end with the line it opens on, so it does not swallow the records after it.
 *
 * @param text The CSV text (a leading byte order mark is ignored).
 * @param options Where the file held invalid UTF-8.
 * @returns The records, in order, each with the line it starts on.
 *
 * @example
 * ```ts
 * import { parseCsv } from "./_csv.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const records = [...parseCsv('a,b\r\n"x ""y""","two\nlines"\r\n"open\r\nc\r\n')];
 * deepStrictEqual(records, [
 *   { line: 1, fields: ["a", "b"] },
 *   { line: 2, fields: ['x "y"', "two\nlines"] },
 *   {
 *     line: 4,
 *     error: "the quoted field is never closed (field 1); close it with a double quote and " +
 *       "double any quote inside it; reading went on at line 5",
 *   },
 *   { line: 5, fields: ["c"] },
 * ]);
 * ```
 */
export function* parseCsv(text: string, options: ParseCsvOptions = {}): Generator<CsvRecord> {
  const invalid = options.invalid ?? [];
  if (invalid.length === 0) {
    for (const row of readCsv(text)) yield toRecord(row.line, row.fields, row.problem);
    return;
  }
  // A record holds the invalid bytes on its lines: from its own up to the next record's.
  let next = 0;
  const check = (record: CsvRecord, end: number): CsvRecord => {
    while (next < invalid.length && invalid[next]!.line < record.line) next++;
    const bad = invalid[next];
    if (bad === undefined || bad.line >= end) return record;
    while (next < invalid.length && invalid[next]!.line < end) next++;
    const where = bad.line === record.line ? "" : ` (line ${bad.line})`;
    return {
      line: record.line,
      error: `the row holds invalid UTF-8 at byte offset ${bad.offset}${where}; save the file ` +
        "as UTF-8 and import it again",
    };
  };
  let pending: CsvRecord | undefined;
  for (const row of readCsv(text)) {
    if (pending) yield check(pending, row.line);
    pending = toRecord(row.line, row.fields, row.problem);
  }
  if (pending) yield check(pending, Infinity);
}

function toRecord(line: number, fields: string[], problem: CsvProblem | undefined): CsvRecord {
  return problem === undefined ? { line, fields } : { line, error: describe(problem, line) };
}

function describe(problem: CsvProblem, line: number): string {
  switch (problem.kind) {
    case "unclosed_quote": {
      const opened = problem.line === line ? "" : `, opened on line ${problem.line}`;
      return `the quoted field is never closed (field ${problem.field}${opened}); close it ` +
        `with a double quote and double any quote inside it; reading went on at line ` +
        `${problem.line + 1}`;
    }
    case "text_after_quote":
      return `field ${problem.field} has text after its closing quote; ` +
        "quote the whole field and double any quote inside it";
    case "bare_quote":
      return `field ${problem.field} has a quote but is not quoted; ` +
        "quote the whole field and double the quote inside it";
  }
}

/** What {@linkcode decodeUtf8} read. */
export interface DecodedText {
  /** The text; each invalid sequence is U+FFFD, as `TextDecoder` makes it (a BOM is kept). */
  text: string;
  /**
   * The first invalid sequence of each line that has one, in order, with its index in `text`
   * (one a line is all a row's error needs, and it keeps the list short).
   */
  invalid: (InvalidUtf8 & { index: number })[];
}

const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LOOSE = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Decodes a file's bytes as UTF-8, strictly: where they are not UTF-8 is reported, by byte
 * offset and line, rather than silently replaced.
 *
 * @param bytes The file's bytes.
 * @returns The text and where it held invalid UTF-8.
 * @throws {SyntaxError} When the file starts with a UTF-16 byte order mark.
 *
 * @example
 * ```ts
 * import { decodeUtf8 } from "./_csv.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const latin1 = new Uint8Array([0x69, 0x64, 0x0a, 0x4d, 0xfc, 0x0a]); // "id\nMü\n"
 * deepStrictEqual(decodeUtf8(latin1), {
 *   text: "id\nM\ufffd\n",
 *   invalid: [{ offset: 4, line: 2, index: 4 }],
 * });
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SyntaxError(
      "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8 and " +
        "import it again",
    );
  }
  try {
    return { text: STRICT.decode(bytes), invalid: [] };
  } catch {
    return { text: LOOSE.decode(bytes), invalid: findInvalid(bytes) };
  }
}

/** The first invalid sequence of each line, with the index `TextDecoder` gives its U+FFFD. */
function findInvalid(bytes: Uint8Array): DecodedText["invalid"] {
  const invalid: DecodedText["invalid"] = [];
  let line = 1;
  let index = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
      i++;
      index++;
      continue;
    }
    const length = sequence(bytes, i);
    if (length < 0 && invalid.at(-1)?.line !== line) invalid.push({ offset: i, line, index });
    i += Math.abs(length);
    index += length === 4 ? 2 : 1;
  }
  return invalid;
}

/**
 * The length of the UTF-8 sequence at `i` (a lead byte of 0x80 or above), or minus the length
 * of the invalid part that `TextDecoder` turns into one U+FFFD (the WHATWG "maximal subpart").
 */
function sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || c < lo || c > hi) return -k;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}
