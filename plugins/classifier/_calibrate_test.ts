import { ok } from "node:assert/strict";
import { fitTemperature, logLoss } from "./_calibrate.ts";
import { createRandom } from "./_split.ts";

/** Scores whose labels are drawn from softmax(scores / temperature). */
function sample(temperature: number, count: number, seed: number) {
  const random = createRandom(seed);
  const scores: Float64Array[] = [];
  const targets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = Float64Array.from({ length: 4 }, () => random() * 4 - 2);
    const weights = Array.from(row, (s) => Math.exp(s / temperature));
    let draw = random() * weights.reduce((a, b) => a + b, 0);
    let target = 0;
    while (target < 3 && (draw -= weights[target] as number) > 0) target++;
    scores.push(row);
    targets[i] = target;
  }
  return { scores, targets };
}

Deno.test("fitTemperature() recovers the temperature that generated the labels", async (t) => {
  for (const truth of [0.3, 1, 3]) {
    await t.step(`temperature ${truth}`, () => {
      const { scores, targets } = sample(truth, 5_000, 11);
      const fitted = fitTemperature(scores, targets);
      ok(Math.abs(Math.log(fitted / truth)) < 0.15, `fitted ${fitted}`);
    });
  }
});

Deno.test("fitTemperature() minimises the log loss", () => {
  const { scores, targets } = sample(0.5, 2_000, 12);
  const fitted = fitTemperature(scores, targets);
  const best = logLoss(scores, targets, { temperature: fitted });
  for (const factor of [0.8, 1.25]) {
    ok(logLoss(scores, targets, { temperature: fitted * factor }) > best);
  }
});

Deno.test("fitTemperature() of nothing is 1", () => {
  ok(fitTemperature([], new Int32Array(0)) === 1);
});

Deno.test("fitTemperature() with smoothing keeps a finite temperature on separable data", () => {
  const scores = [
    Float64Array.of(1, -1, -1),
    Float64Array.of(-1, 1, -1),
    Float64Array.of(-1, -1, 1),
  ];
  const targets = Int32Array.of(0, 1, 2);
  const sharp = fitTemperature(scores, targets);
  const smoothed = fitTemperature(scores, targets, { smoothing: 0.02 });
  ok(sharp < 0.01, `unsmoothed ${sharp}`);
  ok(smoothed > 0.2 && smoothed < 1, `smoothed ${smoothed}`);
});
