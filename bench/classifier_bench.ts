/**
 * Benchmark of the local ticket classifier on a CSV of labelled tickets: a seeded 80/20 split,
 * then for each of `queue` and `priority` training time, held-out accuracy and macro-F1,
 * classification time per ticket (after loading the serialised model) and model size, checked
 * against the targets.
 *
 * ```sh
 * deno run -A bench/classifier_bench.ts [path-to-csv]
 * ```
 *
 * The CSV needs the columns `subject`, `body`, `queue` and `priority`. The default path is
 * `../shared/datasets/tickets-en-train.csv` relative to the project root. The exit code is 1 when
 * a target is missed.
 *
 * @module
 */

import { evaluate } from "../plugins/classifier/_metrics.ts";
import { predict } from "../plugins/classifier/_model.ts";
import { parseModel, serializeModel } from "../plugins/classifier/_model_file.ts";
import { parseCsv } from "../plugins/classifier/_records.ts";
import { splitHoldout } from "../plugins/classifier/_split.ts";
import { type Example, trainModel } from "../plugins/classifier/_train.ts";

/** What the bench must show for one label. */
interface Target {
  label: string;
  accuracy: number;
  trainSeconds: number;
  classifyMicros: number;
}

const TARGETS: Target[] = [
  { label: "queue", accuracy: 0.66, trainSeconds: 30, classifyMicros: 50 },
  { label: "priority", accuracy: 0.69, trainSeconds: 30, classifyMicros: 50 },
];
const CONFIDENCE_THRESHOLD = 0.6;
const REFERENCE = "Reference accuracy (queue / priority): majority class 0.291 / 0.396, " +
  "TF-IDF word 1-2 grams + linear SVM 0.657 / 0.686, with char 2-5 grams 0.702 / 0.721";

/** One row of the result table. */
interface BenchRow {
  label: string;
  classes: number;
  accuracy: number;
  macroF1: number;
  majority: number;
  trainSeconds: number;
  classifyMicros: number;
  loadMillis: number;
  modelBytes: number;
  meanConfidence: number;
  confidentShare: number;
  confidentAccuracy: number;
  target: Target;
}

function _toExamples(rows: Record<string, string>[], label: string): Example[] {
  return rows.map((row) => ({
    text: `${row.subject ?? ""}\n${row.body ?? ""}`,
    label: row[label] ?? "",
  }));
}

function _majorityAccuracy(train: Example[], test: Example[]): number {
  const counts = new Map<string, number>();
  for (const { label } of train) counts.set(label, (counts.get(label) ?? 0) + 1);
  const majority = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return test.filter((e) => e.label === majority).length / test.length;
}

function _benchLabel(
  trainRows: Record<string, string>[],
  testRows: Record<string, string>[],
  target: Target,
): BenchRow {
  const train = _toExamples(trainRows, target.label);
  const test = _toExamples(testRows, target.label);
  const trainStart = performance.now();
  const trained = trainModel(train);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const text = serializeModel(trained);
  const loadStart = performance.now();
  const model = parseModel(text, `${target.label}.json`);
  const loadMillis = performance.now() - loadStart;
  for (const example of test.slice(0, 200)) predict(model, example.text);
  const classifyStart = performance.now();
  const predictions = test.map((example) => predict(model, example.text));
  const classifyMicros = ((performance.now() - classifyStart) * 1000) / test.length;
  const result = evaluate(model, test);
  const confident = predictions.filter((p) => p.confidence >= CONFIDENCE_THRESHOLD);
  const confidentRight = predictions.filter((p, i) =>
    p.confidence >= CONFIDENCE_THRESHOLD && p.label === test[i]?.label
  );
  return {
    label: target.label,
    classes: model.labels.length,
    accuracy: result.accuracy,
    macroF1: result.macro_f1,
    majority: _majorityAccuracy(train, test),
    trainSeconds,
    classifyMicros,
    loadMillis,
    modelBytes: new TextEncoder().encode(text).length,
    meanConfidence: predictions.reduce((sum, p) => sum + p.confidence, 0) / predictions.length,
    confidentShare: confident.length / predictions.length,
    confidentAccuracy: confidentRight.length / Math.max(1, confident.length),
    target,
  };
}

function _passes(row: BenchRow): boolean {
  return row.accuracy >= row.target.accuracy && row.trainSeconds < row.target.trainSeconds &&
    row.classifyMicros < row.target.classifyMicros;
}

function _table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function _report(rows: BenchRow[]): string {
  const main = _table(
    [
      "label",
      "classes",
      "accuracy",
      "macro-F1",
      "majority",
      "train (s)",
      "classify (µs/ticket)",
      "model (MB)",
      "load (ms)",
      "targets",
      "met",
    ],
    rows.map((r) => [
      r.label,
      String(r.classes),
      r.accuracy.toFixed(4),
      r.macroF1.toFixed(4),
      r.majority.toFixed(3),
      r.trainSeconds.toFixed(2),
      r.classifyMicros.toFixed(1),
      (r.modelBytes / 1e6).toFixed(2),
      r.loadMillis.toFixed(0),
      `acc >= ${r.target.accuracy}, train < ${r.target.trainSeconds} s, ` +
      `classify < ${r.target.classifyMicros} µs`,
      _passes(r) ? "yes" : "NO",
    ]),
  );
  const calibration = _table(
    ["label", "mean confidence", `share >= ${CONFIDENCE_THRESHOLD}`, "accuracy there"],
    rows.map((r) => [
      r.label,
      r.meanConfidence.toFixed(3),
      r.confidentShare.toFixed(3),
      r.confidentAccuracy.toFixed(3),
    ]),
  );
  return `${main}\n\n${REFERENCE}\n\nConfidence on the held-out set:\n${calibration}`;
}

async function main(args: string[]): Promise<void> {
  const source = args[0] ?? new URL("../../shared/datasets/tickets-en-train.csv", import.meta.url);
  const path = typeof source === "string" ? source : decodeURIComponent(source.pathname);
  const rows = parseCsv(await Deno.readTextFile(source));
  const { train, test } = splitHoldout(rows, 0.2, 42);
  console.log(
    `Dataset ${path}: ${rows.length} rows, ${train.length} train / ${test.length} held out ` +
      `(seed 42); text = subject + body; Deno ${Deno.version.deno}, ` +
      `${navigator.hardwareConcurrency} CPUs`,
  );
  const results = TARGETS.map((target) => _benchLabel(train, test, target));
  console.log(`\n${_report(results)}`);
  if (!results.every(_passes)) Deno.exitCode = 1;
}

if (import.meta.main) await main(Deno.args);
