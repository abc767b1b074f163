/**
 * The classifier model (a plain, JSON-serialisable object) and prediction with it.
 *
 * @module
 */

import { type PackedArrays, unpackArrays, type UnpackedArrays } from "./_codec.ts";
import { type FeatureSpec, hashFeatures, weightFeatures } from "./_features.ts";

/** Name in the `format` field of every model. */
export const MODEL_FORMAT = "otai-classifier";
/** The model version this code reads and writes. */
export const MODEL_VERSION = 1;

/**
 * A trained text classifier; plain data, so `JSON.stringify` and `structuredClone` work.
 *
 * Weights and IDF are stored only for the hash buckets seen in training (see `rows`).
 */
export interface Model extends PackedArrays {
  /** Always `"otai-classifier"`. */
  format: typeof MODEL_FORMAT;
  /** Format version, currently 1. */
  version: typeof MODEL_VERSION;
  /** The labels, in the order of the weight columns. */
  labels: string[];
  /** How text becomes features. */
  features: FeatureSpec;
  /** Bias per label. */
  bias: number[];
  /** Softmax temperature: probabilities are `softmax(scores / temperature)`. */
  temperature: number;
  /** What the model was trained on and how, for the record. */
  training: { examples: number; counts: Record<string, number>; options: Record<string, unknown> };
}

/** One label with its probability. */
export interface LabelScore {
  /** The label. */
  label: string;
  /** Probability in [0, 1]; over all labels they sum to 1. */
  confidence: number;
}

/** The answer of {@linkcode predict}. */
export interface Prediction {
  /** The most likely label. */
  label: string;
  /** Its probability in [0, 1]. */
  confidence: number;
  /** The most likely labels, best first. */
  top: LabelScore[];
}

const _unpacked = new WeakMap<Model, UnpackedArrays>();

/**
 * Classify a text: softmax probabilities over the model's linear scores.
 *
 * Confidences go through the temperature that training fitted on held-out examples, so they
 * behave like probabilities: of the predictions with confidence of at least 0.6, roughly 60% or
 * more are right. The first call decodes the model's weights and caches them for this model
 * object, so later calls are fast; do not mutate a model after predicting with it.
 *
 * @param model A model from `trainModel` or `parseModel`.
 * @param text The text to classify, e.g. subject and body joined by a newline.
 * @param top How many labels to return in `top`, best first (default 3).
 * @returns The best label, its probability and the `top` best labels.
 *
 * @example Classify with a tiny model
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { predict } from "./_model.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const model = trainModel([
 *   { text: "refund my invoice", label: "billing" },
 *   { text: "printer will not print", label: "it" },
 * ], { features: { buckets_log2: 12 } });
 * const prediction = predict(model, "invoice refund please", 2);
 * deepEqual(prediction.label, "billing");
 * deepEqual(prediction.top.length, 2);
 * ```
 */
export function predict(model: Model, text: string, top = 3): Prediction {
  const scores = scoreText(model, text);
  const probabilities = _softmax(scores, model.temperature);
  const ranked = Array.from(probabilities.keys()).sort((a, b) =>
    (probabilities[b] as number) - (probabilities[a] as number) || a - b
  );
  const best = ranked.slice(0, Math.max(1, top)).map((c) => ({
    label: model.labels[c] as string,
    confidence: probabilities[c] as number,
  }));
  const first = best[0] as LabelScore;
  return { label: first.label, confidence: first.confidence, top: best.slice(0, Math.max(0, top)) };
}

/**
 * The raw linear score of each label for a text, before the softmax.
 *
 * @param model A model.
 * @param text The text to score.
 * @returns One score per label, in the order of `model.labels`.
 *
 * @example Scores follow the label order
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { scoreText } from "./_model.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const model = trainModel([
 *   { text: "refund my invoice", label: "billing" },
 *   { text: "printer will not print", label: "it" },
 * ], { features: { buckets_log2: 12 } });
 * const [billing = 0, it = 0] = scoreText(model, "printer");
 * deepEqual(it > billing, true);
 * ```
 */
export function scoreText(model: Model, text: string): Float64Array {
  const { weights, scales, idf } = unpackModel(model);
  const vector = weightFeatures(hashFeatures(text, model.features), { spec: model.features, idf });
  const classes = model.labels.length;
  const sums = new Float64Array(classes);
  const { indices, values } = vector;
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] as number) * classes;
    const value = values[j] as number;
    for (let c = 0; c < classes; c++) {
      sums[c] = (sums[c] as number) + (weights[base + c] as number) * value;
    }
  }
  for (let c = 0; c < classes; c++) {
    sums[c] = (sums[c] as number) * (scales[c] as number) + (model.bias[c] as number);
  }
  return sums;
}

function _softmax(scores: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  const out = new Float64Array(scores.length);
  let total = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(((scores[c] as number) - max) / temperature);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / total;
  return out;
}

/**
 * Decode a model's packed arrays for prediction, once per model object (the result is cached).
 *
 * @param model A model.
 * @returns Dense weights, per-label weight scales and the IDF bytes.
 * @throws {RangeError} When an array does not match the others, as in a truncated file.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { unpackModel } from "./_model.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const model = trainModel([{ text: "hello", label: "greeting" }], { features: { buckets_log2: 8 } });
 * deepEqual(unpackModel(model).weights.length, 256);
 * ```
 */
export function unpackModel(model: Model): UnpackedArrays {
  let unpacked = _unpacked.get(model);
  if (unpacked === undefined) {
    unpacked = unpackArrays(model, {
      buckets: 2 ** model.features.buckets_log2,
      classes: model.labels.length,
    });
    _unpacked.set(model, unpacked);
  }
  return unpacked;
}
