/**
 * The RFC 4180 CSV reader of the first-party plugins that read CSV files (`classifier`,
 * `sqlite-tickets`): quoted fields, doubled quotes, line breaks inside quotes, CRLF, LF or a
 * lone CR. It reports what is wrong with a record and leaves the wording to each plugin.
 *
 * @module
 */

/** What is wrong with a CSV record. */
export type CsvProblem =
  /** A quoted field is never closed: it runs to the end of the text. */
  | { kind: "unclosed_quote" }
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
   * quote, the rest of the line is left out.
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
 * problem is yielded with it, and reading goes on with the next line; an unclosed quote or text
 * after a closing quote outweighs a bare quote.
 *
 * @param text The CSV text (a leading byte order mark is ignored).
 * @returns The records, in order, each with the line it starts on.
 *
 * @example
 * ```ts
 * import { readCsv } from "./_csv.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual([...readCsv('a,b\r\n"x ""y""","two\nlines"\r\n"z"!\n')], [
 *   { line: 1, fields: ["a", "b"] },
 *   { line: 2, fields: ['x "y"', "two\nlines"] },
 *   { line: 4, fields: ["z"], problem: { kind: "text_after_quote", field: 1 } },
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
      row.fields.push(quoted.value);
      row.nextLine += countBreaks(text, i, quoted.end);
      end = quoted.end;
      if (!quoted.closed) {
        row.problem = { kind: "unclosed_quote" };
      } else if (!isFieldEnd(text, end)) {
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
