/**
 * Parsers for the record files a classifier is trained from: CSV (RFC 4180) and JSON Lines.
 *
 * @module
 */
import { type CsvProblem, readCsv } from "@otai/csv";

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
  let header: string[] | undefined;
  let rows = 0;
  const records: Record<string, string>[] = [];
  for (const { fields, problem } of readCsv(text)) {
    // A quote inside an unquoted field is taken as it is.
    if (problem && problem.kind !== "bare_quote") throw _csvError(problem, rows + 1);
    if (fields.length === 1 && fields[0] === "") continue;
    rows++;
    if (header === undefined) {
      header = fields;
      continue;
    }
    const record: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) record[header[i] ?? ""] = fields[i] ?? "";
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

/** The error for a malformed record, numbered among the rows that are not blank. */
function _csvError(problem: CsvProblem, row: number): SyntaxError {
  return new SyntaxError(
    problem.kind === "unclosed_quote"
      ? `Cannot parse CSV: the quoted field starting in row ${row} is never closed; add the closing quote`
      : `Cannot parse CSV: row ${row} has text after a closing quote; double quotes inside a quoted field`,
  );
}
