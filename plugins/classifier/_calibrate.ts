/**
 * Temperature scaling: the one-parameter calibration that turns linear scores into probabilities
 * that mean what they say on data the model has not seen.
 *
 * @module
 */

/**
 * Find the softmax temperature that minimises the log loss of scored held-out examples.
 *
 * @param scores Raw label scores of each held-out example.
 * @param targets The true label index of each example.
 * @param options `smoothing`: the share of each example's weight spread over the other labels
 * (label smoothing). With a little, held-out data the model gets all right (easily separable
 * training data) no longer drives the temperature to its floor, which would make the model
 * 100% sure even of text it has never seen anything like.
 * @returns The temperature, between 0.001 and 1000; 1 when there is nothing to fit.
 *
 * @example Confident, correct scores want a low temperature
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fitTemperature } from "./_calibrate.ts";
 *
 * const scores = [Float64Array.of(1, -1), Float64Array.of(-1, 1)];
 * ok(fitTemperature(scores, Int32Array.of(0, 1)) < 0.1);
 * ```
 */
export function fitTemperature(
  scores: readonly Float64Array[],
  targets: Int32Array,
  options: { smoothing?: number } = {},
): number {
  if (scores.length === 0) return 1;
  const smoothing = options.smoothing ?? 0;
  let low = Math.log(1e-3);
  let high = Math.log(1e3);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let lossA = logLoss(scores, targets, { temperature: Math.exp(a), smoothing });
  let lossB = logLoss(scores, targets, { temperature: Math.exp(b), smoothing });
  for (let i = 0; i < 60; i++) {
    if (lossA <= lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - ratio * (high - low);
      lossA = logLoss(scores, targets, { temperature: Math.exp(a), smoothing });
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + ratio * (high - low);
      lossB = logLoss(scores, targets, { temperature: Math.exp(b), smoothing });
    }
  }
  return Math.exp((low + high) / 2);
}

/**
 * Mean negative log-likelihood of the true labels under `softmax(scores / temperature)`.
 *
 * @param scores Raw label scores of each example.
 * @param targets The true label index of each example.
 * @param options The softmax temperature, above 0.
 * @returns The mean log loss in nats.
 *
 * @example Uniform scores cost ln(labels)
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { logLoss } from "./_calibrate.ts";
 *
 * const loss = logLoss([Float64Array.of(0, 0)], Int32Array.of(1), { temperature: 1 });
 * ok(Math.abs(loss - Math.LN2) < 1e-12);
 * ```
 */
export function logLoss(
  scores: readonly Float64Array[],
  targets: Int32Array,
  options: { temperature: number; smoothing?: number },
): number {
  const { temperature } = options;
  const smoothing = options.smoothing ?? 0;
  let total = 0;
  scores.forEach((row, i) => {
    let max = -Infinity;
    for (const score of row) if (score > max) max = score;
    let sum = 0;
    for (const score of row) sum += Math.exp((score - max) / temperature);
    const logSum = Math.log(sum);
    const t = targets[i] as number;
    // -log p(class) = logSum - (score - max) / T; the target gets 1 - smoothing of the weight,
    // the other classes share the rest.
    const others = row.length > 1 ? smoothing / (row.length - 1) : 0;
    row.forEach((score, j) => {
      const weight = j === t ? 1 - (row.length > 1 ? smoothing : 0) : others;
      if (weight > 0) total += weight * (logSum - (score - max) / temperature);
    });
  });
  return total / scores.length;
}
