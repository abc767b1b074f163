/**
 * Training a classifier model from labelled texts, and the `options` of `classifier:Train` as
 * its settings.
 *
 * @module
 */

import type { z } from "zod";
import { fitTemperature } from "./_calibrate.ts";
import { type EncodedWeights, packArrays, quantizeIdf } from "./_codec.ts";
import {
  type FeatureSpec,
  type HashedCounts,
  hashFeatures,
  type SparseVector,
  weightFeatures,
} from "./_features.ts";
import { type Model, MODEL_FORMAT, MODEL_VERSION, scoreText } from "./_model.ts";
import { createRandom, shuffleInPlace } from "./_split.ts";
import type { trainOptionsParam } from "./_params.ts";
import { fitSvm } from "./_svm.ts";

/**
 * Label smoothing for temperature fitting: enough that separable data keeps a finite
 * temperature, small enough not to move it where the model makes real mistakes.
 */
const CALIBRATION_SMOOTHING = 0.02;

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
  /** SVM inverse regularisation strength, as LIBLINEAR's `C` (default 10). */
  cost?: number;
  /** Passes of the solver over the data (default 15). */
  epochs?: number;
  /** Share of the examples held out to fit the confidence temperature (default 0.2; 0 skips
   * calibration and uses temperature 1). */
  calibration?: number;
  /** Seed of the data shuffles (default 42). */
  seed?: number;
  /** How weights are stored: `"int8"` (default, four times smaller) or `"float32"`. */
  weightEncoding?: EncodedWeights["encoding"];
}

const defaultFeatures = {
  buckets_log2: 20,
  word_ngrams: [1, 4],
  char_ngrams: [0, 0],
  word_weight: 1,
  char_weight: 1,
  sublinear_tf: true,
} satisfies FeatureSpec;

const defaults = {
  idf: true,
  cost: 10,
  epochs: 15,
  calibration: 0.2,
  seed: 42,
  weightEncoding: "int8",
} satisfies Required<Omit<TrainOptions, "features">>;

type _Settings = Required<Omit<TrainOptions, "features">>;

/**
 * Train a linear text classifier (one-vs-rest linear SVM on hashed word n-grams with TF-IDF),
 * then fit a softmax temperature on held-out examples so confidences are probabilities.
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
 * import { deepEqual } from "node:assert/strict";
 * import { predict } from "./_model.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const model = trainModel([
 *   { text: "my invoice is wrong", label: "billing" },
 *   { text: "the vpn is down", label: "it" },
 * ], { features: { buckets_log2: 12 } });
 * deepEqual(model.labels, ["billing", "it"]);
 * deepEqual(predict(model, "wrong invoice").label, "billing");
 * ```
 */
export function trainModel(examples: readonly Example[], options: TrainOptions = {}): Model {
  const settings: _Settings = { ...defaults, ..._defined(options) };
  const features: FeatureSpec = { ...defaultFeatures, ..._defined(options.features ?? {}) };
  _check(examples, settings, features);
  const hashed = examples.map((e) => hashFeatures(e.text, features));
  const model = _fit(examples, hashed, features, settings);
  const heldOut = Math.round(examples.length * settings.calibration);
  if (heldOut === 0 || heldOut === examples.length || model.labels.length < 2) return model;
  const order = shuffleInPlace(Array.from(examples.keys()), createRandom(settings.seed + 1));
  const fitPart = order.slice(heldOut);
  const probe = _fit(
    fitPart.map((i) => examples[i] as Example),
    fitPart.map((i) => hashed[i] as HashedCounts),
    features,
    settings,
  );
  const classOf = new Map(probe.labels.map((label, c) => [label, c]));
  const checks = order.slice(0, heldOut).filter((i) => classOf.has(examples[i]?.label ?? ""));
  const scores = checks.map((i) => scoreText(probe, examples[i]?.text ?? ""));
  const targets = Int32Array.from(checks, (i) => classOf.get(examples[i]?.label ?? "") ?? 0);
  return {
    ...model,
    temperature: fitTemperature(scores, targets, { smoothing: CALIBRATION_SMOOTHING }),
  };
}

/**
 * The `options` param of `classifier:Train` as `trainModel` options.
 *
 * @param options The validated options.
 * @returns The same settings under `trainModel`'s names; absent ones stay absent.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { toTrainOptions } from "./_train_model.ts";
 *
 * deepEqual(toTrainOptions({ epochs: 5, buckets_log2: 16 }), { epochs: 5, features: { buckets_log2: 16 } });
 * ```
 */
export function toTrainOptions(options: z.output<typeof trainOptionsParam>): TrainOptions {
  const { weight_encoding, buckets_log2, word_ngrams, char_ngrams, ...rest } = options;
  const { word_weight, char_weight, sublinear_tf, ...solver } = rest;
  const features = _defined({
    buckets_log2,
    word_ngrams,
    char_ngrams,
    word_weight,
    char_weight,
    sublinear_tf,
  });
  return {
    ..._defined({ ...solver, weightEncoding: weight_encoding }),
    ...(Object.keys(features).length > 0 ? { features } : {}),
  };
}

function _fit(
  examples: readonly Example[],
  hashed: HashedCounts[],
  features: FeatureSpec,
  settings: _Settings,
): Model {
  const counts = new Map<string, number>();
  for (const { label } of examples) counts.set(label, (counts.get(label) ?? 0) + 1);
  const labels = [...counts.keys()].sort();
  const classOf = new Map(labels.map((label, c) => [label, c]));
  const targets = Int32Array.from(examples, (e) => classOf.get(e.label) ?? 0);
  const buckets = 2 ** features.buckets_log2;
  const { seen, idf } = _documentFrequencies(hashed, buckets, settings.idf);
  const vectors: SparseVector[] = hashed.map((h) => weightFeatures(h, { spec: features, idf }));
  const data = { vectors, targets, classes: labels.length, buckets };
  const fitted = fitSvm(data, settings);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labels,
    features,
    ...packArrays({ weights: fitted.weights, idf, seen }, {
      classes: labels.length,
      encoding: settings.weightEncoding,
    }),
    bias: Array.from(fitted.bias),
    temperature: 1,
    training: {
      examples: examples.length,
      counts: Object.fromEntries(counts),
      options: { ...settings },
    },
  };
}

/** Seen buckets and smoothed IDF `ln((1 + n) / (1 + df)) + 1`, as the bytes models store. */
function _documentFrequencies(
  hashed: HashedCounts[],
  buckets: number,
  withIdf: boolean,
): { seen: Uint8Array; idf: Uint8Array | null } {
  const df = new Uint32Array(buckets);
  const lastDoc = new Int32Array(buckets).fill(-1);
  hashed.forEach((counts, doc) => {
    for (const index of counts.indices) {
      if (lastDoc[index] !== doc) {
        lastDoc[index] = doc;
        df[index] = (df[index] as number) + 1;
      }
    }
  });
  const seen = Uint8Array.from(df, (d) => (d > 0 ? 1 : 0));
  if (!withIdf) return { seen, idf: null };
  const n = hashed.length;
  const idf = Uint8Array.from(df, (d) => quantizeIdf(Math.log((1 + n) / (1 + d)) + 1));
  return { seen, idf };
}

/** A copy of an object without the keys whose value is undefined. */
function _defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

function _check(examples: readonly Example[], settings: _Settings, features: FeatureSpec): void {
  const problem = _problem(examples, settings, features);
  if (problem !== undefined) throw new RangeError(`Cannot train a classifier model: ${problem}`);
}

function _problem(
  examples: readonly Example[],
  settings: _Settings,
  features: FeatureSpec,
): string | undefined {
  if (examples.length === 0) return "no examples given; pass at least one";
  const blank = examples.findIndex((e) => typeof e.label !== "string" || e.label === "");
  if (blank >= 0) return `example ${blank} has an empty label; label it or leave it out`;
  const log2 = features.buckets_log2;
  if (!Number.isInteger(log2) || log2 < 4 || log2 > 24) {
    return `features.buckets_log2 must be an integer from 4 to 24, got ${log2}`;
  }
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1) {
    return `epochs must be a positive integer, got ${settings.epochs}`;
  }
  if (!(settings.cost > 0)) return `cost must be above 0, got ${settings.cost}`;
  if (!(settings.calibration >= 0 && settings.calibration < 1)) {
    return `calibration must be at least 0 and below 1, got ${settings.calibration}`;
  }
  return undefined;
}
