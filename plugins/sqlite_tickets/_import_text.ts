/**
 * Reads an import file and writes its rows into the store in one transaction, reporting each
 * row it leaves out or finds twice.
 *
 * @module
 */
import { type ImportFormat, readRecords, type TicketRecord } from "./_records.ts";
import type { StatementSync } from "node:sqlite";
import type { Statements } from "./_statements.ts";

/**
 * What an import did. Each row of the file counts once: in `imported`, `existing`, `skipped` or
 * `duplicates`.
 */
export interface ImportResult {
  /** Tickets written (inserted, updated, or already the same), each id once. */
  imported: number;
  /** Rows left out because they are malformed or break a rule (see `errors`). */
  skipped: number;
  /** With `only_new`: rows left alone because a ticket with their id was already stored. */
  existing: number;
  /**
   * Rows whose id an earlier row of the file has. The later row wins, as an upsert does: the
   * fields it gives replace the earlier row's (with `only_new`, only over a ticket the file added).
   */
  duplicates: number;
  /** Why rows were left out, with the line each starts on (the first 100). */
  errors: { line: number; message: string }[];
  /**
   * One self-contained line per skipped or repeated row: the file, the line, what is wrong and
   * what to do (the first 100, then a last "... and N more" line). Empty when all went well.
   */
  warnings: string[];
}

/** The most bytes an import file may have: 256 MiB. A larger file is refused before it is read. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/**
 * How many rows an import result's `errors`, and its `warnings`, list at most (`warnings` then
 * ends with one more line: "... and N more").
 */
export const MAX_WARNINGS_KEPT = 100;

const MAX_ERRORS_KEPT = MAX_WARNINGS_KEPT;

/**
 * Reads an import file's bytes; a file over {@linkcode MAX_IMPORT_BYTES} is refused before it is
 * read.
 *
 * @param path The file (relative to the working directory).
 * @returns Its bytes.
 * @throws {Deno.errors.NotFound} When there is no such file.
 * @throws {TypeError} When the path is not a file.
 * @throws {RangeError} When the file is over the limit.
 *
 * @example
 * ```ts
 * import { readImportFile } from "./_import_text.ts";
 * import { strictEqual } from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "id\n1\n");
 * strictEqual((await readImportFile(path)).length, 5);
 * await Deno.remove(path);
 * ```
 */
export async function readImportFile(path: string): Promise<Uint8Array> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Deno.errors.NotFound(
      `Cannot import "${path}": there is no such file; check the path (a relative path ` +
        "starts at the working directory, which the otai CLI sets to the config's directory)",
    );
  }
  if (!info.isFile) {
    throw new TypeError(
      `Cannot import "${path}": it is not a file; give the path of a CSV or JSONL file`,
    );
  }
  const tooLarge = (size: number) =>
    new RangeError(
      `Cannot import "${path}": it is ${size} bytes, over the limit of 256 MiB ` +
        `(${MAX_IMPORT_BYTES} bytes) an import file may have; split it into smaller files`,
    );
  if (info.size > MAX_IMPORT_BYTES) throw tooLarge(info.size);
  const bytes = await Deno.readFile(path);
  if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge(bytes.length);
  return bytes;
}

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
 * Upserts the tickets of an import file by id, in one transaction. A malformed row is reported
 * and left out; it never stops the import. Fields a row does not give keep their stored value;
 * tickets a row does not change are not rewritten. With `onlyNew`, rows whose id is already
 * stored are left alone (so seeding a store again keeps what automation changed). A row whose
 * id an earlier row has is written over it (the later row wins) and counted as a duplicate.
 *
 * @param sql The store's statements.
 * @param input The file's bytes (decoded strictly as UTF-8), or its text.
 * @param options The file's name (as warnings name it), its format, the time to stamp on rows
 * without `updated_at`, and `onlyNew`.
 * @returns The counts, errors and warnings.
 * @throws {SyntaxError} When a CSV file has no usable header row, or the file is UTF-16.
 *
 * @example
 * ```ts
 * import { openDatabase } from "./_schema.ts";
 * import { prepareStatements } from "./_statements.ts";
 * import { importText } from "./_import_text.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * const text = '{"id":"1","subject":"Hi"}\n{oops}\n{"id":"1","subject":"Hello"}\n';
 * const result = importText(prepareStatements(db), text, {
 *   file: "in.jsonl",
 *   format: "jsonl",
 *   at: "2024-01-01T00:00:00.000Z",
 * });
 * deepStrictEqual([result.imported, result.skipped, result.duplicates], [1, 1, 1]);
 * deepStrictEqual(result.errors.map((e) => e.line), [2]);
 * deepStrictEqual(result.warnings.map((w) => w.slice(0, w.indexOf(":"))), [
 *   "in.jsonl line 2",
 *   "in.jsonl line 3",
 * ]);
 * db.close();
 * ```
 */
export function importText(
  sql: Statements,
  input: Uint8Array | string,
  options: { file: string; format: ImportFormat; at: string; onlyNew?: boolean },
): ImportResult {
  const result: ImportResult = {
    imported: 0,
    skipped: 0,
    existing: 0,
    duplicates: 0,
    errors: [],
    warnings: [],
  };
  let warned = 0;
  const warn = (line: number, message: string) => {
    if (warned++ < MAX_WARNINGS_KEPT) {
      result.warnings.push(`${options.file} line ${line}: ${message}`);
    }
  };
  /** The line of each id's first row, and whether that row was written. */
  const seen = new Map<string, { line: number; written: boolean }>();
  sql.transaction(() => {
    for (const item of readRecords(input, options.format)) {
      if (item.error !== undefined) {
        result.skipped++;
        if (result.errors.length < MAX_ERRORS_KEPT) {
          result.errors.push({ line: item.line, message: item.error });
        }
        warn(item.line, `${item.error} (row skipped)`);
        continue;
      }
      const r = item.record;
      const first = seen.get(r.id);
      if (first !== undefined) {
        result.duplicates++;
        warn(item.line, repeated(r.id, item.derived, first));
        if (first.written) writeRow(sql.upsert, r, options.at);
        continue;
      }
      const changes = writeRow(options.onlyNew ? sql.insertNew : sql.upsert, r, options.at);
      const written = !options.onlyNew || changes > 0;
      seen.set(r.id, { line: item.line, written });
      if (written) result.imported++;
      else result.existing++;
    }
  });
  if (warned > MAX_WARNINGS_KEPT) {
    result.warnings.push(
      `... and ${warned - MAX_WARNINGS_KEPT} more rows of ${options.file} with warnings ` +
        `(only the first ${MAX_WARNINGS_KEPT} are listed)`,
    );
  }
  return result;
}

/** Writes a record with an upsert or insert statement; returns how many rows it changed. */
function writeRow(statement: StatementSync, r: TicketRecord, at: string): number {
  const { changes } = statement.run(
    r.id,
    r.subject,
    r.body,
    r.queue,
    r.priority,
    r.state,
    r.type,
    r.customer,
    r.tags && JSON.stringify(r.tags),
    r.updated_at ?? at,
  );
  return Number(changes);
}

/** The warning for a row whose id the row on `first.line` has. */
function repeated(id: string, derived: boolean, first: { line: number; written: boolean }): string {
  const what = derived
    ? `the row has no id and the same subject, body and customer as line ${first.line}, so ` +
      `both get the id ${JSON.stringify(id)}`
    : `id ${JSON.stringify(id)} repeats line ${first.line}`;
  if (!first.written) {
    return `${what}; both are left alone, as only_new keeps the stored ticket; remove one of ` +
      "the two rows";
  }
  return derived
    ? `${what}, and this later row wins; give each row an id, or remove one of them`
    : `${what}; this later row wins (its fields replace those of line ${first.line}); remove ` +
      `one of the two rows if line ${first.line} should win`;
}
