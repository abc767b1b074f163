/**
 * CSV records as an import reads them: fields with the line each record starts on, or why a
 * record could not be read.
 *
 * @module
 */
import { type CsvProblem, readCsv } from "../_csv.ts";

/** One record of a CSV text, or why it could not be read; `line` is where it starts (from 1). */
export type CsvRecord =
  | { line: number; fields: string[]; error?: undefined }
  | { line: number; error: string; fields?: undefined };

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
  for (const { line, fields, problem } of readCsv(text)) {
    yield problem === undefined ? { line, fields } : { line, error: describe(problem) };
  }
}

function describe(problem: CsvProblem): string {
  switch (problem.kind) {
    case "unclosed_quote":
      return "the quoted field is never closed; close it with a double quote";
    case "text_after_quote":
      return `field ${problem.field} has text after its closing quote; ` +
        "quote the whole field and double any quote inside it";
    case "bare_quote":
      return `field ${problem.field} has a quote but is not quoted; ` +
        "quote the whole field and double the quote inside it";
  }
}
