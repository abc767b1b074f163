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
 * import { testPipe } from "@otai/cli/testing";
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
import { definePlugin, type PipeDefinition, type PluginManifest } from "@otai/cli/plugin";
import { defineClassifyPipe } from "./_classify.ts";
import { defineEvaluatePipe } from "./_evaluate.ts";
import { defineTrainPipe } from "./_train.ts";

export type { ClassifyResult, TicketPrediction } from "./_classify.ts";
export type { EvaluateResult } from "./_evaluate.ts";
export type { ClassScores } from "./_metrics.ts";
export type { LabelScore } from "./_model.ts";
export type { TrainResult } from "./_train.ts";

/** Which rows of a data file are held out, as `splitHoldout(rows, fraction, seed)` splits them. */
export interface HoldoutParams {
  /** Share of the rows held out, above 0 and below 1. */
  fraction: number;
  /** Seed of the shuffle (default 42). */
  seed: number;
}

/** The `options` of `classifier:Train`: `trainModel` settings under snake_case names. */
export interface TrainOptionsParams {
  /** Passes of the solver over the data (default 15). */
  epochs?: number | undefined;
  /** SVM inverse regularisation strength C (default 10). */
  cost?: number | undefined;
  /** Share held out to fit the confidence temperature (default 0.2; 0 turns it off). */
  calibration?: number | undefined;
  /** Seed of the training shuffles (default 42). */
  seed?: number | undefined;
  /** Weight features by inverse document frequency (default true). */
  idf?: boolean | undefined;
  /** How weights are stored (default `"int8"`). */
  weight_encoding?: "int8" | "float32" | undefined;
  /** Hash buckets as a power of two, 4 to 24 (default 20). */
  buckets_log2?: number | undefined;
  /** Word n-gram lengths (default `[1, 4]`; `[0, 0]` is off). */
  word_ngrams?: [number, number] | undefined;
  /** Character n-gram lengths (default `[0, 0]`, off). */
  char_ngrams?: [number, number] | undefined;
  /** Weight of the word block (default 1). */
  word_weight?: number | undefined;
  /** Weight of the character block (default 1). */
  char_weight?: number | undefined;
  /** Use `1 + ln(count)` instead of the count (default true). */
  sublinear_tf?: boolean | undefined;
}

/** Validated params of `classifier:Train`. */
export interface TrainParams {
  /** A CSV or JSON Lines file of labelled rows. */
  data: string;
  /** The fields joined as the text. */
  text: string[];
  /** The field to learn. */
  label: string;
  /** The model file to write. */
  model: string;
  /** Skip when the model file already holds a valid model. */
  if_missing: boolean;
  /** Train only on the rows not held out. */
  holdout?: HoldoutParams | undefined;
  /** Training settings. */
  options: TrainOptionsParams;
}

/** Validated params of `classifier:Classify`. */
export interface ClassifyParams {
  /** A model file from `classifier:Train`. */
  model: string;
  /** Ticket-like records, each with an id. */
  tickets: ({ id: string | number } & Record<string, unknown>)[];
  /** The fields joined as the text (default `["subject", "body"]`). */
  text: string[];
  /** How many labels to list per ticket (default 3). */
  top: number;
}

/** Validated params of `classifier:Evaluate`. */
export interface EvaluateParams {
  /** A model file. */
  model: string;
  /** A CSV or JSON Lines file of labelled rows. */
  data: string;
  /** The fields joined as the text. */
  text: string[];
  /** The field holding the true label. */
  label: string;
  /** Evaluate only on the held-out rows. */
  holdout?: HoldoutParams | undefined;
}

/** The defaults of the pipes' params: what a step that leaves a param out gets. */
export const defaults = {
  train: { if_missing: false, options: {} },
  classify: { text: ["subject", "body"], top: 3 },
  holdout: { seed: 42 },
} satisfies {
  train: Pick<TrainParams, "if_missing" | "options">;
  classify: Pick<ClassifyParams, "text" | "top">;
  holdout: Pick<HoldoutParams, "seed">;
};

/** The plugin: the `Train`, `Classify` and `Evaluate` pipes. */
const plugin: PluginManifest = definePlugin({
  name: "classifier",
  version: "1.0.0",
  api: "^1.0",
  description: "Local ticket classifier: trains, applies and evaluates text models on files",
  permissions: { read: true, write: true },
  injectables: [
    defineTrainPipe(defaults) satisfies PipeDefinition<TrainParams>,
    defineClassifyPipe(defaults) satisfies PipeDefinition<ClassifyParams>,
    defineEvaluatePipe(defaults) satisfies PipeDefinition<EvaluateParams>,
  ],
});

export default plugin;
