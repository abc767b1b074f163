/**
 * An RFC 4180 CSV reader: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF.
 *
 * @module
 */

/** One record of a CSV text, or why it could not be read; `line` is where it starts (from 1). */
export type CsvRecord =
  | { line: number; fields: string[]; error?: undefined }
  | { line: number; error: string; fields?: undefined };

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads the records of a CSV text one at a time. Blank lines are skipped. A malformed record
 * (an unclosed quote, text after a closing quote, a quote inside an unquoted field) is yielded
 * as an error and reading goes on with the next line.
 *
 * @param text The CSV text (a leading byte order mark is ignored).
 * @returns The records, in order, each with the line it starts on.
 *
 * @example
 * ```ts
 * import { parseCsv } from "./_csv.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const records = [...parseCsv('a,b\r\n"x ""y""","two\nlines"\r\n')];
 * deepStrictEqual(records, [
 *   { line: 1, fields: ["a", "b"] },
 *   { line: 2, fields: ['x "y"', "two\nlines"] },
 * ]);
 * ```
 */
export function* parseCsv(text: string): Generator<CsvRecord> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const c0 = text.charCodeAt(i);
    if (c0 === LF || c0 === CR) {
      i = skipBreak(text, i);
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      let end: number;
      if (text.charCodeAt(i) === QUOTE) {
        const quoted = readQuoted(text, i);
        fields.push(quoted.value);
        line += countBreaks(text, i, quoted.end);
        end = quoted.end;
        if (quoted.end >= n && !quoted.closed) {
          error = "the quoted field is never closed; close it with a double quote";
        } else if (!isFieldEnd(text, end)) {
          error = `field ${fields.length} has text after its closing quote; ` +
            "quote the whole field and double any quote inside it";
          end = nextBreak(text, end);
        }
      } else {
        end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE && error === undefined) {
            error = `field ${fields.length + 1} has a quote but is not quoted; ` +
              "quote the whole field and double the quote inside it";
          }
          end++;
        }
        fields.push(text.slice(i, end));
      }
      if (end < n && text.charCodeAt(end) === COMMA) {
        i = end + 1;
        continue;
      }
      i = end < n ? skipBreak(text, end) : n;
      if (end < n) line++;
      break;
    }
    yield error === undefined ? { line: start, fields } : { line: start, error };
  }
}

function readQuoted(text: string, at: number): { value: string; end: number; closed: boolean } {
  let value = "";
  let from = at + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return { value: value + text.slice(from), end: text.length, closed: false };
    value += text.slice(from, q);
    if (text.charCodeAt(q + 1) === QUOTE) {
      value += '"';
      from = q + 2;
      continue;
    }
    return { value, end: q + 1, closed: true };
  }
}

function isFieldEnd(text: string, at: number): boolean {
  if (at >= text.length) return true;
  const c = text.charCodeAt(at);
  return c === COMMA || c === LF || c === CR;
}

function nextBreak(text: string, at: number): number {
  let i = at;
  while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
  return i;
}

/** The index after the line break at `at` (CRLF, LF or a lone CR). */
function skipBreak(text: string, at: number): number {
  return text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
}

function countBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}
