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
export function fitTemperature(scores: readonly Float64Array[], targets: Int32Array): number {
  if (scores.length === 0) return 1;
  let low = Math.log(1e-3);
  let high = Math.log(1e3);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let lossA = logLoss(scores, targets, { temperature: Math.exp(a) });
  let lossB = logLoss(scores, targets, { temperature: Math.exp(b) });
  for (let i = 0; i < 60; i++) {
    if (lossA <= lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - ratio * (high - low);
      lossA = logLoss(scores, targets, { temperature: Math.exp(a) });
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + ratio * (high - low);
      lossB = logLoss(scores, targets, { temperature: Math.exp(b) });
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
  options: { temperature: number },
): number {
  const { temperature } = options;
  let total = 0;
  scores.forEach((row, i) => {
    let max = -Infinity;
    for (const score of row) if (score > max) max = score;
    let sum = 0;
    for (const score of row) sum += Math.exp((score - max) / temperature);
    const target = row[targets[i] as number] as number;
    total += Math.log(sum) - (target - max) / temperature;
  });
  return total / scores.length;
}
