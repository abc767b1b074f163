/**
 * Labelled examples from a CSV or JSON Lines file, and the text of a record, the same way for
 * training, evaluation and classification.
 *
 * @module
 */

import { parseCsv, parseJsonl } from "./_records.ts";
import { splitHoldout } from "./_split.ts";
import type { Example } from "./_train_model.ts";

/** Which part of a seeded split of the file's rows to use. */
export interface HoldoutPart {
  /** Share of the rows held out, as `splitHoldout` takes it. */
  fraction: number;
  /** Seed of the shuffle. */
  seed: number;
  /** `"train"`: the rows not held out; `"test"`: the held-out rows. */
  part: "train" | "test";
}

/** Options of {@linkcode readExamples}. */
export interface ReadExamplesOptions {
  /** Fields joined by a newline as the text, e.g. `["subject", "body"]`. */
  text: readonly string[];
  /** The field holding the label. */
  label: string;
  /** Use only one part of a seeded split of the rows. */
  holdout?: HoldoutPart | undefined;
}

/** What {@linkcode readExamples} found. */
export interface ReadExamples {
  /** The rows with a label, as examples. */
  examples: Example[];
  /** Rows (of the part used) left out because their label is empty. */
  skipped_rows: number;
}

const FORMATS: Record<string, (text: string) => Record<string, unknown>[]> = {
  ".csv": parseCsv,
  ".jsonl": parseJsonl,
  ".ndjson": parseJsonl,
};

/**
 * Read labelled examples from a CSV or JSON Lines file (chosen by the file name's ending).
 *
 * Rows whose label is empty are skipped and counted. With `holdout`, the rows are split as
 * `splitHoldout(rows, fraction, seed)` splits them, before empty labels are skipped, so training
 * on the `"train"` part and evaluating on the `"test"` part never share a row.
 *
 * @param path The data file; needs read permission.
 * @param options The text fields, the label field and the part to use.
 * @returns The examples and the number of skipped rows.
 * @throws {Error} When the file does not exist, cannot be parsed or lacks a named field; the
 * message names the file and what to do.
 *
 * @example Read a CSV file
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { readExamples } from "./_examples.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.csv`, "subject,body,queue\nVPN,down,IT\nHi,there,\n");
 * const read = await readExamples(`${dir}/t.csv`, { text: ["subject", "body"], label: "queue" });
 * deepEqual(read, { examples: [{ text: "VPN\ndown", label: "IT" }], skipped_rows: 1 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readExamples(
  path: string,
  options: ReadExamplesOptions,
): Promise<ReadExamples> {
  const rows = await _readRows(path);
  _checkFields(path, rows, options);
  let part = rows;
  if (options.holdout !== undefined) {
    const { fraction, seed } = options.holdout;
    part = splitHoldout(rows, fraction, seed)[options.holdout.part];
  }
  const examples: Example[] = [];
  for (const row of part) {
    const label = labelOf(row[options.label]);
    if (label.trim() !== "") examples.push({ text: recordText(row, options.text), label });
  }
  return { examples, skipped_rows: part.length - examples.length };
}

/**
 * The text of a record: the named fields joined by a newline. Strings count as they are, numbers
 * and booleans as text, arrays (such as tags) as their items joined by spaces; anything else,
 * and a missing field, counts as empty.
 *
 * @param record A ticket or a data row.
 * @param fields The fields to join, in order.
 * @returns The text to classify.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { recordText } from "./_examples.ts";
 *
 * deepEqual(recordText({ subject: "VPN", tags: ["net", "urgent"] }, ["subject", "body", "tags"]), "VPN\n\nnet urgent");
 * ```
 */
export function recordText(record: Record<string, unknown>, fields: readonly string[]): string {
  if (fields.length === 1) return _fieldText(record[fields[0] as string]);
  return fields.map((field) => _fieldText(record[field])).join("\n");
}

/**
 * A label value as text: strings as they are, numbers and booleans as text, anything else empty.
 *
 * @param value A field value.
 * @returns The label, possibly empty.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { labelOf } from "./_examples.ts";
 *
 * deepEqual([labelOf("IT"), labelOf(3), labelOf(null)], ["IT", "3", ""]);
 * ```
 */
export function labelOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

function _fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(_fieldText).filter((s) => s !== "").join(" ");
  return labelOf(value);
}

async function _readRows(path: string): Promise<Record<string, unknown>[]> {
  const ending = /\.[^./\\]*$/.exec(path)?.[0].toLowerCase() ?? "";
  const parse = FORMATS[ending];
  if (parse === undefined) {
    throw new Error(
      `Cannot read data file "${path}": its name must end in .csv, .jsonl or .ndjson to tell ` +
        "the format; rename the file",
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read data file "${path}": the file does not exist; fix the path`, {
        cause: error,
      });
    }
    throw error;
  }
  try {
    return parse(text);
  } catch (error) {
    const detail = (error as Error).message.replace(/^Cannot parse [^:]*: /, "");
    const format = parse === parseCsv ? "CSV" : "JSON Lines";
    throw new Error(`Cannot read data file "${path}" as ${format}: ${detail}`, { cause: error });
  }
}

function _checkFields(
  path: string,
  rows: readonly Record<string, unknown>[],
  options: ReadExamplesOptions,
): void {
  if (rows.length === 0) {
    throw new Error(`Cannot read data file "${path}": it has no data rows; add labelled rows`);
  }
  const known = new Set<string>();
  for (const row of rows) for (const key in row) known.add(key);
  const wanted = [...options.text.map((f) => ["text", f]), ["label", options.label]];
  const missing = wanted.find(([, field]) => !known.has(field as string));
  if (missing === undefined) return;
  const [param, field] = missing;
  const list = [...known].slice(0, 30).map((f) => JSON.stringify(f)).join(", ");
  throw new Error(
    `Cannot read data file "${path}": no row has the field "${field}" named in ${param}; ` +
      `the fields are ${list}${known.size > 30 ? ", ..." : ""}; fix ${param}`,
  );
}
