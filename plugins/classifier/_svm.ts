/**
 * One-vs-rest linear SVM (L2-regularised squared hinge loss) trained by dual coordinate descent,
 * the method of LIBLINEAR. All classes are solved in the same pass over the data: each example
 * updates its dual variable in every binary problem at once, which keeps the bucket-major weight
 * rows hot in cache.
 *
 * @module
 */

import type { SparseVector } from "./_features.ts";
import { createRandom, shuffleInPlace } from "./_split.ts";

/** Weights of a linear multiclass model. */
export interface LinearWeights {
  /** Weight of each bucket for each class, bucket-major: `weights[bucket * classes + class]`. */
  weights: Float32Array;
  /** Bias of each class. */
  bias: Float64Array;
}

/** Settings of {@linkcode fitSvm}. */
export interface SvmFitOptions {
  /** Inverse regularisation strength, as LIBLINEAR's `C`. */
  cost: number;
  /** Passes over the data. */
  epochs: number;
  /** Seed of the per-epoch shuffle. */
  seed: number;
}

/**
 * Fit one-vs-rest linear SVMs on sparse vectors; the bias is a regularised constant feature.
 *
 * @param data Feature vectors, class index of each vector, number of classes and of buckets.
 * @param options Solver settings.
 * @returns Weights (bucket-major) and biases.
 *
 * @example Separate two one-feature classes
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fitSvm } from "./_svm.ts";
 *
 * const vector = (index: number) => ({
 *   indices: Int32Array.of(index), values: Float32Array.of(1),
 * });
 * const { weights } = fitSvm(
 *   { vectors: [vector(0), vector(1)], targets: Int32Array.of(0, 1), classes: 2, buckets: 2 },
 *   { cost: 1, epochs: 5, seed: 1 },
 * );
 * ok((weights[0] as number) > (weights[1] as number));
 * ```
 */
export function fitSvm(
  data: { vectors: SparseVector[]; targets: Int32Array; classes: number; buckets: number },
  options: SvmFitOptions,
): LinearWeights {
  const { vectors, targets, classes, buckets } = data;
  const weights = new Float64Array(buckets * classes);
  const bias = new Float64Array(classes);
  const alpha = new Float64Array(vectors.length * classes);
  const scores = new Float64Array(classes);
  const delta = new Float64Array(classes);
  const diagonal = 1 / (2 * options.cost);
  const squaredNorms = vectors.map((v) => _squaredNorm(v) + 1 + diagonal);
  const order = Array.from(vectors.keys());
  const random = createRandom(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const vector = vectors[i] as SparseVector;
      const target = targets[i] as number;
      _scores(vector, weights, bias, scores);
      const q = squaredNorms[i] as number;
      let changed = false;
      for (let c = 0; c < classes; c++) {
        const y = c === target ? 1 : -1;
        const k = i * classes + c;
        const old = alpha[k] as number;
        const gradient = y * (scores[c] as number) - 1 + diagonal * old;
        const next = Math.max(old - gradient / q, 0);
        alpha[k] = next;
        delta[c] = (next - old) * y;
        if (next !== old) changed = true;
      }
      if (changed) _update(vector, weights, bias, delta);
    }
  }
  return { weights: Float32Array.from(weights), bias };
}

function _squaredNorm(vector: SparseVector): number {
  let sum = 0;
  for (const value of vector.values) sum += value * value;
  return sum;
}

function _scores(
  vector: SparseVector,
  weights: Float64Array,
  bias: Float64Array,
  out: Float64Array,
): void {
  const classes = out.length;
  out.set(bias);
  const { indices, values } = vector;
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] as number) * classes;
    const value = values[j] as number;
    for (let c = 0; c < classes; c++) {
      out[c] = (out[c] as number) + (weights[base + c] as number) * value;
    }
  }
}

function _update(
  vector: SparseVector,
  weights: Float64Array,
  bias: Float64Array,
  delta: Float64Array,
): void {
  const classes = bias.length;
  const { indices, values } = vector;
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] as number) * classes;
    const value = values[j] as number;
    for (let c = 0; c < classes; c++) {
      weights[base + c] = (weights[base + c] as number) + (delta[c] as number) * value;
    }
  }
  for (let c = 0; c < classes; c++) bias[c] = (bias[c] as number) + (delta[c] as number);
}
