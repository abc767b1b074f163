/**
 * The classifier model (a plain, JSON-serialisable object) and prediction with it.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type FeatureSpec, hashFeatures, weightFeatures } from "./_features.ts";

/** Name in the `format` field of every model. */
export const MODEL_FORMAT = "otai-classifier";
/** The model version this code reads and writes. */
export const MODEL_VERSION = 1;

/** How the weight matrix is stored in {@linkcode Model.weights}. */
export interface EncodedWeights {
  /** `"float32"`: little-endian floats; `"int8"`: one byte per weight, times `scales[class]`. */
  encoding: "float32" | "int8";
  /** Per-class multiplier for `"int8"`, empty for `"float32"`. */
  scales: number[];
  /** Base64 of the bucket-major matrix: `buckets * labels.length` entries. */
  data: string;
}

/** A trained text classifier; plain data, so `JSON.stringify` and `structuredClone` work. */
export interface Model {
  /** Always `"otai-classifier"`. */
  format: typeof MODEL_FORMAT;
  /** Format version, currently 1. */
  version: typeof MODEL_VERSION;
  /** The labels, in the order of the weight columns. */
  labels: string[];
  /** How text becomes features. */
  features: FeatureSpec;
  /** Base64 of one byte per bucket: inverse document frequency times 16; `null` for no IDF. */
  idf: string | null;
  /** Weight matrix. */
  weights: EncodedWeights;
  /** Bias per label. */
  bias: number[];
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

interface _Decoded {
  weights: Float32Array;
  idf: Float32Array | null;
  bias: Float64Array;
  scores: Float64Array;
}

const _decoded = new WeakMap<Model, _Decoded>();

/**
 * Classify a text: softmax probabilities over the model's linear scores.
 *
 * The first call decodes the model's weights and caches them for the model object, so later calls
 * are fast; do not mutate a model after predicting with it.
 *
 * @param model A model from `trainModel` or `parseModel`.
 * @param text The text to classify, e.g. subject and body joined by a newline.
 * @param top How many labels to return in `top`, best first (default 3).
 * @returns The best label, its probability and the `top` best labels.
 *
 * @example Classify with a tiny model
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { predict } from "./_model.ts";
 * import { trainModel } from "./_train.ts";
 *
 * const model = trainModel([
 *   { text: "refund my invoice", label: "billing" },
 *   { text: "printer will not print", label: "it" },
 * ], { features: { buckets_log2: 12 } });
 * const prediction = predict(model, "invoice refund please", 2);
 * assertEquals(prediction.label, "billing");
 * assertEquals(prediction.top.length, 2);
 * ```
 */
export function predict(model: Model, text: string, top = 3): Prediction {
  const decoded = _decode(model);
  const vector = weightFeatures(hashFeatures(text, model.features), model.features, decoded.idf);
  const { weights, bias, scores } = decoded;
  const classes = bias.length;
  scores.set(bias);
  const { indices, values } = vector;
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] as number) * classes;
    const value = values[j] as number;
    for (let c = 0; c < classes; c++) {
      scores[c] = (scores[c] as number) + (weights[base + c] as number) * value;
    }
  }
  const probabilities = _softmax(scores);
  const ranked = Array.from(probabilities.keys()).sort((a, b) =>
    (probabilities[b] as number) - (probabilities[a] as number) || a - b
  );
  const best = ranked.slice(0, Math.max(1, top)).map((c) => ({
    label: model.labels[c] as string,
    confidence: probabilities[c] as number,
  }));
  const first = best[0] as LabelScore;
  return { label: first.label, confidence: first.confidence, top: best.slice(0, top) };
}

function _softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  const out = new Float64Array(scores.length);
  let total = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c] as number) - max);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / total;
  return out;
}

function _decode(model: Model): _Decoded {
  let decoded = _decoded.get(model);
  if (decoded === undefined) {
    decoded = {
      weights: decodeWeights(model.weights),
      idf: model.idf === null ? null : decodeIdf(model.idf),
      bias: Float64Array.from(model.bias),
      scores: new Float64Array(model.labels.length),
    };
    _decoded.set(model, decoded);
  }
  return decoded;
}

/**
 * Encode a weight matrix for a model.
 *
 * @param weights Bucket-major weights, `buckets * classes` entries.
 * @param classes Number of classes (columns).
 * @param encoding `"float32"` keeps full precision; `"int8"` is four times smaller.
 * @returns The encoded weights.
 *
 * @example Round trip
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { decodeWeights, encodeWeights } from "./_model.ts";
 *
 * const weights = Float32Array.of(0.5, -1, 0.25, 2);
 * assertEquals(decodeWeights(encodeWeights(weights, 2, "float32")), weights);
 * ```
 */
export function encodeWeights(
  weights: Float32Array,
  classes: number,
  encoding: EncodedWeights["encoding"],
): EncodedWeights {
  if (encoding === "float32") {
    const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
    return { encoding, scales: [], data: Buffer.from(bytes).toString("base64") };
  }
  const scales = new Array<number>(classes).fill(0);
  for (let k = 0; k < weights.length; k++) {
    const c = k % classes;
    scales[c] = Math.max(scales[c] as number, Math.abs(weights[k] as number) / 127);
  }
  const bytes = new Int8Array(weights.length);
  for (let k = 0; k < weights.length; k++) {
    const scale = scales[k % classes] as number;
    bytes[k] = scale === 0 ? 0 : Math.round((weights[k] as number) / scale);
  }
  const data = Buffer.from(bytes.buffer).toString("base64");
  return { encoding, scales: scales.map((s) => Math.fround(s)), data };
}

/**
 * Decode the weight matrix of a model.
 *
 * @param encoded The model's `weights` field.
 * @returns Bucket-major weights.
 *
 * @example Decode int8 weights
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { decodeWeights, encodeWeights } from "./_model.ts";
 *
 * const decoded = decodeWeights(encodeWeights(Float32Array.of(1, -2, 0.5, 1), 2, "int8"));
 * assertEquals(decoded[1], -2);
 * ```
 */
export function decodeWeights(encoded: EncodedWeights): Float32Array {
  const bytes = Buffer.from(encoded.data, "base64");
  if (encoded.encoding === "float32") {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
  }
  const classes = encoded.scales.length;
  const weights = new Float32Array(bytes.byteLength);
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < weights.length; k++) {
    weights[k] = (signed[k] as number) * (encoded.scales[k % classes] as number);
  }
  return weights;
}

/**
 * Decode a model's `idf` field into one value per bucket.
 *
 * @param encoded Base64 of one byte per bucket, the IDF times 16.
 * @returns The IDF of each bucket.
 *
 * @example Decode one bucket
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { decodeIdf } from "./_model.ts";
 *
 * assertEquals([...decodeIdf(btoa(String.fromCharCode(32)))], [2]);
 * ```
 */
export function decodeIdf(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, "base64");
  const idf = new Float32Array(bytes.byteLength);
  for (let k = 0; k < idf.length; k++) idf[k] = (bytes[k] as number) / 16;
  return idf;
}
