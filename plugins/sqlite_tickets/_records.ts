/**
 * Turns the rows of an import file (CSV or JSONL) into ticket records, one per row, with the
 * line each came from: the bytes are decoded strictly, and each row is checked on its own, so
 * one bad row is reported and left out while the others are read.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type DecodedText, decodeUtf8, type InvalidUtf8, parseCsv } from "./_csv.ts";
import { checkField, checkId } from "./_field_checks.ts";
export { MAX_FIELD_BYTES, MAX_ID_CHARS } from "./_field_checks.ts";

/** The import file formats. */
export type ImportFormat = "csv" | "jsonl";

/**
 * A ticket as one import row gives it; `null` means the row does not set that field (an
 * existing ticket keeps its value; a new one gets the default).
 */
export interface TicketRecord {
  /** Given in the row, or derived from its subject, body and customer. */
  id: string;
  subject: string | null;
  body: string | null;
  queue: string | null;
  priority: string | null;
  state: string | null;
  type: string | null;
  customer: string | null;
  tags: string[] | null;
  updated_at: string | null;
}

/**
 * One row read: a record (`derived` when the row gave no id, so it has one derived from its
 * subject, body and customer), or why the row is skipped.
 */
export type RecordItem =
  | { line: number; record: TicketRecord; derived: boolean; error?: undefined }
  | { line: number; error: string; record?: undefined; derived?: undefined };

const TEXT = ["subject", "body", "queue", "priority"] as const;
const OPTIONAL = ["state", "type", "customer"] as const;
const COLUMNS = ["id", ...TEXT, ...OPTIONAL, "tags", "updated_at"];

/**
 * Reads the rows of an import file's text as ticket records. CSV needs a header row naming
 * its columns (any of id, subject, body, queue, priority, state, type, customer, tags,
 * updated_at; case does not matter; other columns are ignored); CSV tags are separated by ";"
 * or ",". JSONL holds one JSON object a line with the same keys (tags as a list or a string).
 * A row without an id (or with a blank one) gets one derived from its subject, body and
 * customer, so importing the same file again updates the same tickets.
 *
 * A row is an error, and the rows after it are read as usual, when it is malformed, holds
 * invalid UTF-8 (given bytes, they are decoded strictly), a NUL character or a lone surrogate in
 * a field it imports, a field over {@linkcode MAX_FIELD_BYTES}, or an id that breaks the rule
 * (1 to {@linkcode MAX_ID_CHARS} characters after trimming, no control characters).
 *
 * @param input The file's bytes, or its text.
 * @param format Its format.
 * @returns The rows, each a record or an error, with its line (from 1).
 * @throws {SyntaxError} When a CSV header is malformed, names no id, subject or body column, or
 * names one twice, or when the file is UTF-16.
 *
 * @example
 * ```ts
 * import { readRecords } from "./_records.ts";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 * const [a, b] = [...readRecords("id,subject,tags\n7,Printer,hw;urgent\n8\n", "csv")];
 * strictEqual(a?.record?.id, "7");
 * deepStrictEqual(a?.record?.tags, ["hw", "urgent"]);
 * strictEqual(b?.error, "the row has 1 field but the header has 3; quote fields holding commas");
 * ```
 */
export function* readRecords(
  input: Uint8Array | string,
  format: ImportFormat,
): Generator<RecordItem> {
  const { text, invalid } = typeof input === "string"
    ? { text: input, invalid: [] }
    : decodeUtf8(input);
  if (format === "jsonl") yield* readJsonl(text, invalid);
  else yield* readCsv(text, invalid);
}

function* readCsv(text: string, invalid: readonly InvalidUtf8[]): Generator<RecordItem> {
  const records = parseCsv(text, { invalid });
  const first = records.next();
  if (first.done) return;
  if (first.value.error !== undefined) {
    throw new SyntaxError(`the header row (line 1) is malformed: ${first.value.error}`);
  }
  const header = first.value.fields.map((f) => f.trim().toLowerCase());
  if (header.some((name) => name.includes("\0"))) {
    throw new SyntaxError(
      "the header row holds NUL characters, so the file is likely UTF-16; save it as UTF-8 " +
        "and import it again",
    );
  }
  for (const [i, name] of header.entries()) {
    if (COLUMNS.includes(name) && header.indexOf(name) !== i) {
      throw new SyntaxError(`the header names column "${name}" twice; keep one`);
    }
  }
  if (!["id", "subject", "body"].some((c) => header.includes(c))) {
    throw new SyntaxError(
      `the header row names no "id", "subject" or "body" column; the first line must name ` +
        `the columns, e.g. "${COLUMNS.join(",")}"`,
    );
  }
  for (const row of records) {
    if (row.error !== undefined) {
      yield { line: row.line, error: row.error };
      continue;
    }
    if (row.fields.length !== header.length) {
      const n = row.fields.length;
      yield {
        line: row.line,
        error: `the row has ${n} field${n === 1 ? "" : "s"} but the header has ${header.length}; ` +
          "quote fields holding commas",
      };
      continue;
    }
    const values: Record<string, unknown> = {};
    for (const [i, name] of header.entries()) {
      const cell = row.fields[i]!;
      if (name === "tags") values.tags = cell;
      else if ((TEXT as readonly string[]).includes(name)) values[name] = cell;
      else if (COLUMNS.includes(name)) values[name] = cell === "" ? null : cell;
    }
    yield toItem(row.line, values);
  }
}

function* readJsonl(text: string, invalid: DecodedText["invalid"]): Generator<RecordItem> {
  let line = 0;
  let bad = 0;
  let from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (from < text.length) {
    line++;
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    const source = text.slice(from, to).trim();
    while (bad < invalid.length && invalid[bad]!.index < from) bad++;
    const hit = invalid[bad];
    from = to + 1;
    if (!source) continue;
    if (hit !== undefined && hit.index < to) {
      yield {
        line,
        error: `the line holds invalid UTF-8 at byte offset ${hit.offset}; save the file as ` +
          "UTF-8 and import it again",
      };
      continue;
    }
    if (source.includes("\0")) {
      yield {
        line,
        error: "the line holds a NUL character (U+0000); remove it (a file full of them is " +
          "UTF-16: save it as UTF-8)",
      };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (e) {
      yield { line, error: `the line is not valid JSON (${(e as Error).message})` };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      yield { line, error: "the line is not a JSON object; write one ticket object a line" };
      continue;
    }
    yield toItem(line, value as Record<string, unknown>);
  }
}

function toItem(line: number, values: Record<string, unknown>): RecordItem {
  try {
    const id = checkId(values.id);
    const record = toRecord(values, id);
    return { line, record, derived: id === null };
  } catch (e) {
    return { line, error: (e as Error).message };
  }
}

function toRecord(values: Record<string, unknown>, id: string | null): TicketRecord {
  const text = (name: string, numbers = false): string | null => {
    const v = values[name];
    if (v === undefined || v === null) return null;
    if (typeof v === "string") return checkField(name, v);
    if (numbers && typeof v === "number" && Number.isFinite(v)) return String(v);
    throw new TypeError(`"${name}" must be a string${numbers ? " or a number" : ""}`);
  };
  const record = {
    id,
    subject: text("subject"),
    body: text("body"),
    queue: text("queue"),
    priority: text("priority", true),
    state: text("state"),
    type: text("type"),
    customer: text("customer"),
    tags: tags(values.tags),
    updated_at: time(text("updated_at")),
  };
  if (record.id === null && record.subject === null && record.body === null) {
    throw new TypeError("the row has no id, subject or body; give it at least one");
  }
  return { ...record, id: record.id ?? derivedId(record) };
}

function tags(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  let list: unknown[];
  if (typeof value === "string") list = checkField("tags", value).split(/[;,]/);
  else if (Array.isArray(value)) list = value;
  else throw new TypeError('"tags" must be a list of strings or a ";"-separated string');
  const out = new Set<string>();
  for (const tag of list) {
    if (typeof tag !== "string") throw new TypeError('"tags" must hold strings only');
    if (tag.trim()) out.add(tag.trim());
  }
  // A list counts as the ";"-separated field a CSV file would give.
  if (Array.isArray(value)) checkField("tags", (list as string[]).join(";"));
  return [...out];
}

function time(value: string | null): string | null {
  if (value === null) return null;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) {
    throw new RangeError(`"updated_at" is not an ISO 8601 time: "${value}"`);
  }
  return t.toISOString();
}

function derivedId(
  { subject, body, customer }: Pick<TicketRecord, "subject" | "body" | "customer">,
): string {
  const hash = createHash("sha256").update(
    JSON.stringify([subject ?? "", body ?? "", customer ?? ""]),
  );
  return `imp-${hash.digest("hex").slice(0, 16)}`;
}
