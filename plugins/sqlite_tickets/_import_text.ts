/**
 * Writes the rows of an import file into the store in one transaction.
 *
 * @module
 */
import { type ImportFormat, readRecords } from "./_records.ts";
import type { Statements } from "./_statements.ts";

/** What an import did. */
export interface ImportResult {
  /** Rows written (inserted, updated, or already the same). */
  imported: number;
  /** Malformed rows left out. */
  skipped: number;
  /** With `only_new`: rows left out because a ticket with their id exists. */
  existing: number;
  /** Why rows were left out, with the line each starts on (the first 100). */
  errors: { line: number; message: string }[];
}

const MAX_ERRORS_KEPT = 100;

/**
 * Picks an import file's format: the one asked for, else by extension (`.csv`; `.jsonl`,
 * `.ndjson`).
 *
 * @param path The file.
 * @param format The format asked for, if any.
 * @returns The format.
 * @throws {TypeError} When neither says which.
 *
 * @example
 * ```ts
 * import { importFormat } from "./_import_text.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(importFormat("in/tickets.JSONL"), "jsonl");
 * strictEqual(importFormat("export.txt", "csv"), "csv");
 * ```
 */
export function importFormat(path: string, format?: unknown): ImportFormat {
  if (format === "csv" || format === "jsonl") return format;
  if (format !== undefined) {
    throw new TypeError(
      `Cannot import "${path}": unknown format ${JSON.stringify(format)}; use "csv" or "jsonl"`,
    );
  }
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  throw new TypeError(
    `Cannot import "${path}": its extension does not say its format; name it .csv or ` +
      '.jsonl, or pass format: "csv" or "jsonl"',
  );
}

/**
 * Upserts the tickets of an import file's text by id, in one transaction. A malformed row is
 * reported and left out; it never stops the import. Fields a row does not give keep their
 * stored value; tickets a row does not change are not rewritten. With `onlyNew`, rows whose
 * id is already stored are left alone (so seeding a store again keeps what automation changed).
 *
 * @param sql The store's statements.
 * @param text The file's text.
 * @param options The format and the time to stamp on rows without `updated_at`.
 * @returns The counts and errors.
 * @throws {SyntaxError} When a CSV file has no usable header row.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { importText } from "./_import_text.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const result = importText(prepareStatements(db), '{"id":"1","subject":"Hi"}\n{oops}\n', {
 *   format: "jsonl",
 *   at: "2024-01-01T00:00:00.000Z",
 * });
 * deepStrictEqual([result.imported, result.skipped, result.errors[0]?.line], [1, 1, 2]);
 * db.close();
 * ```
 */
export function importText(
  sql: Statements,
  text: string,
  options: { format: ImportFormat; at: string; onlyNew?: boolean },
): ImportResult {
  const result: ImportResult = { imported: 0, skipped: 0, existing: 0, errors: [] };
  const write = options.onlyNew ? sql.insertNew : sql.upsert;
  sql.transaction(() => {
    for (const item of readRecords(text, options.format)) {
      if (item.error !== undefined) {
        result.skipped++;
        if (result.errors.length < MAX_ERRORS_KEPT) {
          result.errors.push({ line: item.line, message: item.error });
        }
        continue;
      }
      const r = item.record;
      const { changes } = write.run(
        r.id,
        r.subject,
        r.body,
        r.queue,
        r.priority,
        r.state,
        r.type,
        r.customer,
        r.tags && JSON.stringify(r.tags),
        r.updated_at ?? options.at,
      );
      if (options.onlyNew && changes === 0) result.existing++;
      else result.imported++;
    }
  });
  return result;
}
