import { deepEqual, ok } from "node:assert/strict";
import type { SparseVector } from "./_features.ts";
import { fitSvm } from "./_svm.ts";

function vector(entries: [number, number][]): SparseVector {
  return {
    indices: Int32Array.from(entries, ([index]) => index),
    values: Float32Array.from(entries, ([, value]) => value),
  };
}

function score(weights: Float32Array, bias: Float64Array, v: SparseVector, c: number): number {
  let sum = bias[c] as number;
  v.indices.forEach((index, j) =>
    sum += (weights[index * bias.length + c] as number) * (v.values[j] as number)
  );
  return sum;
}

Deno.test("fitSvm() separates three classes that share a feature", () => {
  const vectors = [
    vector([[0, 1], [3, 0.5]]),
    vector([[1, 1], [3, 0.5]]),
    vector([[2, 1], [3, 0.5]]),
    vector([[0, 0.7], [3, 0.7]]),
    vector([[1, 0.7], [3, 0.7]]),
    vector([[2, 0.7], [3, 0.7]]),
  ];
  const targets = Int32Array.of(0, 1, 2, 0, 1, 2);
  const { weights, bias } = fitSvm({ vectors, targets, classes: 3, buckets: 4 }, {
    cost: 10,
    epochs: 20,
    seed: 1,
  });
  vectors.forEach((v, i) => {
    const scores = [0, 1, 2].map((c) => score(weights, bias, v, c));
    deepEqual(scores.indexOf(Math.max(...scores)), targets[i]);
    ok((scores[targets[i] as number] as number) > 0);
  });
});

Deno.test("fitSvm() is deterministic for a seed", () => {
  const vectors = [vector([[0, 1]]), vector([[1, 1]]), vector([[0, 0.5], [1, 0.5]])];
  const data = { vectors, targets: Int32Array.of(0, 1, 1), classes: 2, buckets: 2 };
  const options = { cost: 1, epochs: 5, seed: 3 };
  deepEqual(fitSvm(data, options), fitSvm(data, options));
});
