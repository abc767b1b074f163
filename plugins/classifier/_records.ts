/**
 * Parsers for the record files a classifier is trained from: CSV (RFC 4180) and JSON Lines.
 *
 * @module
 */

/**
 * Parse RFC 4180 CSV text into one record per row, keyed by the header row.
 *
 * Handles quoted fields, doubled quotes inside quotes, CRLF or LF line endings, newlines inside
 * quoted fields and a leading byte order mark. Blank lines are skipped; a row with fewer fields
 * than the header gets empty strings for the missing ones, and fields beyond the header are
 * dropped.
 *
 * @param text The whole CSV text, header row first.
 * @returns One record per data row, mapping each header name to the row's field.
 * @throws {SyntaxError} When a quoted field is never closed, or a closing quote is followed by
 * something other than a comma or a line end.
 *
 * @example Parse a quoted multi-line field
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseCsv } from "./_records.ts";
 *
 * const rows = parseCsv('subject,body\r\nHi,"line one\nsaid ""hello"""\r\n');
 * deepEqual(rows, [{ subject: "Hi", body: 'line one\nsaid "hello"' }]);
 * ```
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows = _parseCsvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.shift();
  if (header === undefined) return [];
  const records: Record<string, string>[] = [];
  for (const row of rows) {
    const record: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) record[header[i] ?? ""] = row[i] ?? "";
    records.push(record);
  }
  return records;
}

/**
 * Parse JSON Lines text: one JSON object per line, blank lines skipped.
 *
 * @param text The whole JSONL text.
 * @returns The parsed objects, in file order.
 * @throws {SyntaxError} When a line is not valid JSON or not a JSON object; the message names the
 * line number.
 *
 * @example Parse two records
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseJsonl } from "./_records.ts";
 *
 * const rows = parseJsonl('{"text":"printer down","label":"IT"}\n\n{"text":"refund","label":"Billing"}\n');
 * deepEqual(rows.map((row) => row.label), ["IT", "Billing"]);
 * ```
 */
export function parseJsonl(text: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SyntaxError(
        `Cannot parse JSON Lines: line ${i + 1} is not valid JSON: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new SyntaxError(
        `Cannot parse JSON Lines: line ${i + 1} holds ${
          _describe(value)
        }; each line must be a JSON object`,
      );
    }
    records.push(value as Record<string, unknown>);
  }
  return records;
}

function _describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Split CSV text into rows of fields; blank lines are dropped. */
function _parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n || row.length > 0) {
    let field: string;
    if (text.charCodeAt(i) === 0x22) {
      [field, i] = _readQuoted(text, i, rows.length + 1);
    } else {
      let end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 0x2c || c === 0x0a || c === 0x0d) break;
        end++;
      }
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    const c = text.charCodeAt(i);
    if (c === 0x2c) {
      i++;
      continue;
    }
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i += 2;
    else if (i < n) i++;
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    if (i >= n) break;
  }
  return rows;
}

/** Read a quoted field starting at the opening quote; returns the field and the next index. */
function _readQuoted(text: string, start: number, line: number): [string, number] {
  let value = "";
  let i = start + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) {
      throw new SyntaxError(
        `Cannot parse CSV: the quoted field starting in row ${line} is never closed; add the closing quote`,
      );
    }
    value += text.slice(i, close);
    if (text.charCodeAt(close + 1) === 0x22) {
      value += '"';
      i = close + 2;
      continue;
    }
    const next = text.charCodeAt(close + 1);
    if (close + 1 < text.length && next !== 0x2c && next !== 0x0a && next !== 0x0d) {
      throw new SyntaxError(
        `Cannot parse CSV: row ${line} has text after a closing quote; double quotes inside a quoted field`,
      );
    }
    return [value, close + 1];
  }
}
