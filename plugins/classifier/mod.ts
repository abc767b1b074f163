/**
 * `classifier`: a local ticket classifier. `Train` learns a label (a queue, a priority) from a
 * CSV or JSONL file of past tickets and writes a model file; `Classify` predicts the label of
 * tickets with a confidence; `Evaluate` scores a model on labelled rows. Nothing leaves the host:
 * no network, no external service.
 *
 * Grant it the data directory to read and the models directory to read and write:
 *
 * ```yaml
 * plugins:
 *   - from: ./plugins/classifier/mod.ts
 *     permissions: { read: ["./data", "./models"], write: ["./models"] }
 * orchestrator:
 *   runners:
 *     - id: train
 *       run:
 *         id: train
 *         use: classifier:Train
 *         params:
 *           data: ./data/tickets.csv
 *           text: [subject, body]
 *           label: queue
 *           model: ./models/queue.json
 *           if_missing: true
 * ```
 *
 * @example Train, then classify
 * ```ts
 * import plugin from "./mod.ts";
 * import { testPipe } from "../../testing.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const rows = ["subject,queue", ...Array.from({ length: 20 }, (_, i) =>
 *   i % 2 ? `invoice refund ${i},billing` : `vpn wifi down ${i},network`)];
 * await Deno.writeTextFile(`${dir}/t.csv`, rows.join("\n"));
 * const model = `${dir}/queue.json`;
 * await testPipe(plugin, "Train", {
 *   params: { data: `${dir}/t.csv`, text: ["subject"], label: "queue", model },
 * });
 * const result = await testPipe(plugin, "Classify", {
 *   params: { model, tickets: [{ id: "7", subject: "refund my invoice" }] },
 * });
 * const { predictions } = (result as { data: { predictions: { label: string }[] } }).data;
 * deepStrictEqual(predictions[0]?.label, "billing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
import { definePlugin, type PluginManifest } from "../../plugin.ts";
import { classifyPipe } from "./_classify_pipe.ts";
import { evaluatePipe } from "./_evaluate_pipe.ts";
import { trainPipe } from "./_train_pipe.ts";

export type { ClassifyResult, TicketPrediction } from "./_classify_pipe.ts";
export type { EvaluateResult } from "./_evaluate_pipe.ts";
export type { ClassScores } from "./_metrics.ts";
export type { LabelScore } from "./_model.ts";
export type {
  ClassifyParams,
  EvaluateParams,
  HoldoutParams,
  TrainOptionsParams,
  TrainParams,
} from "./_params.ts";
export type { TrainResult } from "./_train_pipe.ts";

/** The plugin: the `Train`, `Classify` and `Evaluate` pipes. */
const plugin: PluginManifest = definePlugin({
  name: "classifier",
  version: "1.0.0",
  api: "^1.0",
  description: "Local ticket classifier: trains, applies and evaluates text models on files",
  permissions: { read: true, write: true },
  injectables: [trainPipe, classifyPipe, evaluatePipe],
});

export default plugin;
