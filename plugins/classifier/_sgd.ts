/**
 * The optimiser behind `trainModel`: multiclass linear model trained with stochastic gradient
 * descent, L2 weight decay (lazy, through a global scale) and tail averaging of epoch snapshots.
 *
 * @module
 */

import type { SparseVector } from "./_features.ts";
import { createRandom, shuffleInPlace } from "./_split.ts";

/** Settings of {@linkcode fitLinear}. */
export interface LinearFitOptions {
  /** Loss: multinomial logistic (`"log"`) or Crammer-Singer multiclass hinge (`"hinge"`). */
  loss: "log" | "hinge";
  /** Passes over the data. */
  epochs: number;
  /** L2 regularisation strength. */
  l2: number;
  /** Initial learning rate; decays as `rate / (1 + rate * l2 * step)`. */
  learningRate: number;
  /** Share of the last epochs whose weights are averaged into the result, in (0, 1]. */
  averageTail: number;
  /** Seed of the per-epoch shuffle. */
  seed: number;
}

/** Weights of a linear multiclass model: `weights[bucket * classes + class]`. */
export interface LinearWeights {
  /** Weight of each bucket for each class, bucket-major. */
  weights: Float32Array;
  /** Bias of each class. */
  bias: Float64Array;
}

/**
 * Fit a multiclass linear model on sparse vectors.
 *
 * @param data Feature vectors, class index of each vector, number of classes and of buckets.
 * @param options Optimiser settings.
 * @returns The averaged weights and biases.
 *
 * @example Separate two one-feature classes
 * ```ts
 * import { assert } from "node:assert/strict";
 * import { fitLinear } from "./_sgd.ts";
 *
 * const vector = (index: number) => ({
 *   indices: Int32Array.of(index), values: Float32Array.of(1),
 * });
 * const { weights } = fitLinear(
 *   { vectors: [vector(0), vector(1)], targets: Int32Array.of(0, 1), classes: 2, buckets: 2 },
 *   { loss: "log", epochs: 5, l2: 1e-4, learningRate: 0.5, averageTail: 0.5, seed: 1 },
 * );
 * assert((weights[0] as number) > (weights[1] as number));
 * ```
 */
export function fitLinear(
  data: { vectors: SparseVector[]; targets: Int32Array; classes: number; buckets: number },
  options: LinearFitOptions,
): LinearWeights {
  const { vectors, targets, classes, buckets } = data;
  const size = buckets * classes;
  const current = new Float64Array(size);
  const bias = new Float64Array(classes);
  const sum = new Float64Array(size);
  const biasSum = new Float64Array(classes);
  const scores = new Float64Array(classes);
  const gradient = new Float64Array(classes);
  const order = Array.from(vectors.keys());
  const random = createRandom(options.seed);
  const firstAveraged = options.epochs -
    Math.max(1, Math.round(options.epochs * options.averageTail));
  let scale = 1;
  let step = 0;
  let snapshots = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const vector = vectors[i] as SparseVector;
      const target = targets[i] as number;
      const rate = options.learningRate / (1 + options.learningRate * options.l2 * step++);
      _scores(vector, current, scale, bias, scores);
      const active = options.loss === "log"
        ? _logGradient(scores, target, gradient)
        : _hingeGradient(scores, target, gradient);
      scale *= 1 - rate * options.l2;
      if (scale < 1e-6) {
        for (let k = 0; k < size; k++) current[k] = (current[k] as number) * scale;
        scale = 1;
      }
      if (active) _update(vector, current, bias, gradient, rate, scale);
    }
    if (epoch >= firstAveraged) {
      for (let k = 0; k < size; k++) sum[k] = (sum[k] as number) + (current[k] as number) * scale;
      for (let c = 0; c < classes; c++) biasSum[c] = (biasSum[c] as number) + (bias[c] as number);
      snapshots++;
    }
  }
  const weights = new Float32Array(size);
  for (let k = 0; k < size; k++) weights[k] = (sum[k] as number) / snapshots;
  for (let c = 0; c < classes; c++) biasSum[c] = (biasSum[c] as number) / snapshots;
  return { weights, bias: biasSum };
}

function _scores(
  vector: SparseVector,
  weights: Float64Array,
  scale: number,
  bias: Float64Array,
  out: Float64Array,
): void {
  const classes = out.length;
  out.fill(0);
  const { indices, values } = vector;
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] as number) * classes;
    const value = values[j] as number;
    for (let c = 0; c < classes; c++) {
      out[c] = (out[c] as number) + (weights[base + c] as number) * value;
    }
  }
  for (let c = 0; c < classes; c++) out[c] = (out[c] as number) * scale + (bias[c] as number);
}

function _logGradient(scores: Float64Array, target: number, gradient: Float64Array): boolean {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  let total = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp((scores[c] as number) - max);
    gradient[c] = e;
    total += e;
  }
  for (let c = 0; c < scores.length; c++) {
    gradient[c] = (gradient[c] as number) / total - (c === target ? 1 : 0);
  }
  return true;
}

function _hingeGradient(scores: Float64Array, target: number, gradient: Float64Array): boolean {
  let rival = -1;
  let best = -Infinity;
  for (let c = 0; c < scores.length; c++) {
    if (c !== target && (scores[c] as number) > best) {
      best = scores[c] as number;
      rival = c;
    }
  }
  gradient.fill(0);
  if (rival < 0 || (scores[target] as number) - best >= 1) return false;
  gradient[target] = -1;
  gradient[rival] = 1;
  return true;
}

function _update(
  vector: SparseVector,
  weights: Float64Array,
  bias: Float64Array,
  gradient: Float64Array,
  rate: number,
  scale: number,
): void {
  const classes = bias.length;
  const { indices, values } = vector;
  for (let c = 0; c < classes; c++) {
    const g = gradient[c] as number;
    if (Math.abs(g) < 1e-7) continue;
    const step = (-rate * g) / scale;
    for (let j = 0; j < indices.length; j++) {
      const k = (indices[j] as number) * classes + c;
      weights[k] = (weights[k] as number) + step * (values[j] as number);
    }
    bias[c] = (bias[c] as number) - rate * g;
  }
}
