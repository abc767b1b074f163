/**
 * The RFC 4180 CSV reader of the first-party plugins that read CSV files (`classifier`,
 * `sqlite-tickets`): quoted fields, doubled quotes, line breaks inside quotes, CRLF, LF or a
 * lone CR. It reports what is wrong with a record and leaves the wording to each plugin. A
 * malformed record never swallows the records after it: reading goes on at a line start.
 *
 * @module
 */

/** What is wrong with a CSV record. */
export type CsvProblem =
  /**
   * A quoted field (numbered from 1) is never closed, or closed only on a later line by a quote
   * that text follows (most likely the opening quote of a field of a later record). It is taken
   * to end with the line it opens on (`line`, from 1), and reading goes on with the next line.
   */
  | { kind: "unclosed_quote"; field: number; line: number }
  /** Text follows the closing quote of a field (numbered from 1). */
  | { kind: "text_after_quote"; field: number }
  /** A quote stands inside an unquoted field (numbered from 1). */
  | { kind: "bare_quote"; field: number };

/** One record of a CSV text. */
export interface CsvRow {
  /** The line it starts on, from 1. */
  line: number;
  /**
   * Its fields. A field holding a bare quote keeps it; after text that follows a closing
   * quote, the rest of the line is left out; a field whose quote is never closed holds the rest
   * of the line it opens on (doubled quotes undoubled) and is the last one.
   */
  fields: string[];
  /** What is wrong with it, if anything; the worst problem when there are several. */
  problem?: CsvProblem;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads the records of a CSV text one at a time. Blank lines are skipped. A record with a
 * problem is yielded with it, and reading goes on with the next line: after text that follows a
 * closing quote, the line after it; after a quote that is never closed, the line after the one it
 * opens on (so it does not swallow the rest of the text). An unclosed quote or text after a
 * closing quote outweighs a bare quote. The time taken grows linearly with the text.
 *
 * @param text The CSV text (a leading byte order mark is ignored).
 * @returns The records, in order, each with the line it starts on.
 *
 * @example
 * ```ts
 * import { readCsv } from "./mod.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual([...readCsv('a,b\r\n"x ""y""","two\nlines"\r\n"z"!\n1,"open\n2\n')], [
 *   { line: 1, fields: ["a", "b"] },
 *   { line: 2, fields: ['x "y"', "two\nlines"] },
 *   { line: 4, fields: ["z"], problem: { kind: "text_after_quote", field: 1 } },
 *   { line: 5, fields: ["1", "open"], problem: { kind: "unclosed_quote", field: 2, line: 5 } },
 *   { line: 6, fields: ["2"] },
 * ]);
 * ```
 */
export function* readCsv(text: string): Generator<CsvRow> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      i = skipBreak(text, i);
      line++;
      continue;
    }
    const row = readRow(text, i, line);
    i = row.next;
    line = row.nextLine;
    yield row.problem === undefined
      ? { line: row.line, fields: row.fields }
      : { line: row.line, fields: row.fields, problem: row.problem };
  }
}

interface ReadRow extends CsvRow {
  /** Where the next record may start. */
  next: number;
  /** The line it is on. */
  nextLine: number;
}

/** Reads the record that starts at `start`, up to and including its line break. */
function readRow(text: string, start: number, line: number): ReadRow {
  const n = text.length;
  const row: ReadRow = { line, fields: [], next: n, nextLine: line };
  let i = start;
  for (;;) {
    let end: number;
    if (text.charCodeAt(i) === QUOTE) {
      const quoted = readQuoted(text, i);
      if (!quoted.closed) return unclosed(text, i, row);
      const breaks = countBreaks(text, i, quoted.end);
      // Closed only on a later line, with text after it: most likely the quote closing it opens
      // a field of a later record, so it is read as a quote that is never closed.
      if (breaks > 0 && !isFieldEnd(text, quoted.end)) return unclosed(text, i, row);
      row.fields.push(quoted.value);
      row.nextLine += breaks;
      end = quoted.end;
      if (!isFieldEnd(text, end)) {
        row.problem = { kind: "text_after_quote", field: row.fields.length };
        end = nextBreak(text, end);
      }
    } else {
      end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE) row.problem ??= { kind: "bare_quote", field: row.fields.length + 1 };
        end++;
      }
      row.fields.push(text.slice(i, end));
    }
    if (end < n && text.charCodeAt(end) === COMMA) {
      i = end + 1;
      continue;
    }
    if (end < n) {
      row.next = skipBreak(text, end);
      row.nextLine++;
    }
    return row;
  }
}

/**
 * Ends `row` with the field at `at`, whose quote is never closed: the field is the rest of its
 * line, and the next record may start on the line after it.
 */
function unclosed(text: string, at: number, row: ReadRow): ReadRow {
  const end = nextBreak(text, at);
  row.fields.push(text.slice(at + 1, end).replaceAll('""', '"'));
  row.problem = { kind: "unclosed_quote", field: row.fields.length, line: row.nextLine };
  if (end < text.length) {
    row.next = skipBreak(text, end);
    row.nextLine++;
  }
  return row;
}

/**
 * Reads the quoted field at `at`. When its quote is never closed, the value is left empty: the
 * caller takes the rest of the line instead. After such a quote every run of quotes in the rest
 * of the text has an even length, so each later quoted field closes within its first run: the
 * scan to the end of the text happens once.
 */
function readQuoted(text: string, at: number): { value: string; end: number; closed: boolean } {
  let value = "";
  let from = at + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return { value: "", end: text.length, closed: false };
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
