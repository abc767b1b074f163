/**
 * Training a classifier model from labelled texts.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type FeatureSpec, type HashedCounts, hashFeatures, weightFeatures } from "./_features.ts";
import {
  decodeIdf,
  type EncodedWeights,
  encodeWeights,
  type Model,
  MODEL_FORMAT,
  MODEL_VERSION,
} from "./_model.ts";
import { fitLinear, type LinearFitOptions } from "./_sgd.ts";
import { fitSvm } from "./_svm.ts";

/** One labelled training text. */
export interface Example {
  /** The text, e.g. a ticket's subject and body joined by a newline. */
  text: string;
  /** Its label, e.g. the queue. */
  label: string;
}

/** Settings of {@linkcode trainModel}; every field has a tuned default. */
export interface TrainOptions {
  /** Feature settings to override (hash buckets, n-gram ranges, block weights). */
  features?: Partial<FeatureSpec>;
  /** Weight features by inverse document frequency (default `true`). */
  idf?: boolean;
  /** Solver: `"svm"` (one-vs-rest squared hinge, dual coordinate descent, default), or SGD on
   * `"log"` (multinomial logistic) or `"hinge"` (Crammer-Singer) loss. */
  loss?: LinearFitOptions["loss"] | "svm";
  /** SVM inverse regularisation strength (default 1). */
  cost?: number;
  /** Passes over the data (default 12). */
  epochs?: number;
  /** L2 regularisation strength (default 2e-5). */
  l2?: number;
  /** Initial learning rate (default 0.5). */
  learningRate?: number;
  /** Share of the last epochs averaged into the final weights (default 0.5). */
  averageTail?: number;
  /** Seed of the data shuffle (default 42). */
  seed?: number;
  /** How weights are stored: `"float32"` or the four times smaller `"int8"` (default). */
  weightEncoding?: EncodedWeights["encoding"];
}

const defaultFeatures = {
  buckets_log2: 18,
  word_ngrams: [1, 2],
  char_ngrams: [2, 5],
  word_weight: 1,
  char_weight: 1,
  sublinear_tf: true,
} satisfies FeatureSpec;

const defaults = {
  idf: true,
  loss: "svm" as TrainOptions["loss"],
  cost: 1,
  epochs: 12,
  l2: 2e-5,
  learningRate: 0.5,
  averageTail: 0.5,
  seed: 42,
  weightEncoding: "int8",
} satisfies Required<Omit<TrainOptions, "features">>;

/**
 * Train a linear text classifier on hashed word and character n-grams.
 *
 * Deterministic: the same examples and options give the same model.
 *
 * @param examples Labelled texts; at least one, with non-empty labels.
 * @param options Training settings, all optional.
 * @returns A plain, JSON-serialisable model for `predict`, `evaluate` and `serializeModel`.
 * @throws {RangeError} When there are no examples, a label is empty, or an option is out of
 * range.
 *
 * @example Train and predict
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { predict } from "./_model.ts";
 * import { trainModel } from "./_train.ts";
 *
 * const model = trainModel([
 *   { text: "my invoice is wrong", label: "billing" },
 *   { text: "the vpn is down", label: "it" },
 * ], { features: { buckets_log2: 12 } });
 * assertEquals(model.labels, ["billing", "it"]);
 * assertEquals(predict(model, "wrong invoice").label, "billing");
 * ```
 */
export function trainModel(examples: readonly Example[], options: TrainOptions = {}): Model {
  const settings = { ...defaults, ..._defined(options) };
  const features: FeatureSpec = { ...defaultFeatures, ..._defined(options.features ?? {}) };
  _check(examples, settings, features);
  const counts: Record<string, number> = {};
  for (const { label } of examples) counts[label] = (counts[label] ?? 0) + 1;
  const labels = Object.keys(counts).sort();
  const classOf = new Map(labels.map((label, c) => [label, c]));
  const targets = Int32Array.from(examples, (e) => classOf.get(e.label) as number);
  const hashed = examples.map((e) => hashFeatures(e.text, features));
  const buckets = 2 ** features.buckets_log2;
  const idfText = settings.idf ? _encodeIdf(hashed, buckets) : null;
  const idf = idfText === null ? null : decodeIdf(idfText);
  const vectors = hashed.map((h) => weightFeatures(h, features, idf));
  const data = { vectors, targets, classes: labels.length, buckets };
  const fitted = settings.loss === "svm"
    ? fitSvm(data, settings)
    : fitLinear(data, { ...settings, loss: settings.loss as LinearFitOptions["loss"] });
  const { weightEncoding, ...recorded } = settings;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labels,
    features,
    idf: idfText,
    weights: encodeWeights(fitted.weights, labels.length, weightEncoding),
    bias: Array.from(fitted.bias),
    training: { examples: examples.length, counts, options: recorded },
  };
}

/** Smoothed IDF per bucket, `ln((1 + n) / (1 + df)) + 1`, stored as round(idf * 16) bytes. */
function _encodeIdf(hashed: HashedCounts[], buckets: number): string {
  const df = new Uint32Array(buckets);
  const seenIn = new Int32Array(buckets).fill(-1);
  hashed.forEach((counts, doc) => {
    for (const index of counts.indices) {
      if (seenIn[index] !== doc) {
        seenIn[index] = doc;
        df[index] = (df[index] as number) + 1;
      }
    }
  });
  const bytes = new Uint8Array(buckets);
  const n = hashed.length;
  for (let k = 0; k < buckets; k++) {
    const idf = Math.log((1 + n) / (1 + (df[k] as number))) + 1;
    bytes[k] = Math.min(255, Math.round(idf * 16));
  }
  return Buffer.from(bytes).toString("base64");
}

function _defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function _check(
  examples: readonly Example[],
  settings: Required<Omit<TrainOptions, "features">>,
  features: FeatureSpec,
): void {
  if (examples.length === 0) {
    throw new RangeError("Cannot train a model: no examples given; pass at least one");
  }
  const blank = examples.findIndex((e) => typeof e.label !== "string" || e.label === "");
  if (blank >= 0) {
    throw new RangeError(`Cannot train a model: example ${blank} has an empty label; label it`);
  }
  const log2 = features.buckets_log2;
  if (!Number.isInteger(log2) || log2 < 4 || log2 > 24) {
    throw new RangeError(`Cannot train a model: buckets_log2 must be 4 to 24, got ${log2}`);
  }
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1) {
    throw new RangeError(`Cannot train a model: epochs must be a positive integer`);
  }
  if (!(settings.averageTail > 0 && settings.averageTail <= 1)) {
    throw new RangeError(`Cannot train a model: averageTail must be in (0, 1]`);
  }
  if (!(settings.learningRate > 0) || !(settings.l2 >= 0)) {
    throw new RangeError(`Cannot train a model: learningRate must be > 0 and l2 >= 0`);
  }
}
