/**
 * Evaluation of a model on labelled examples: accuracy, macro-F1, per-label scores and the
 * confusion matrix.
 *
 * @module
 */

import { type Model, predict } from "./_model.ts";
import type { Example } from "./_train_model.ts";

/** Precision, recall and F1 of one label. */
export interface ClassScores {
  /** Share of the examples predicted as this label that have it. */
  precision: number;
  /** Share of the examples with this label predicted as it. */
  recall: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
  /** Number of examples with this label. */
  support: number;
}

/** The answer of {@linkcode evaluate}. */
export interface Evaluation {
  /** Share of examples predicted correctly. */
  accuracy: number;
  /** Unweighted mean F1 over the labels that occur in the examples or the predictions. */
  macro_f1: number;
  /** Scores of every label of the model and of the examples. */
  per_class: Record<string, ClassScores>;
  /** `matrix[i][j]` counts examples labelled `labels[i]` and predicted as `labels[j]`. */
  confusion: { labels: string[]; matrix: number[][] };
}

/**
 * Predict every example and compare with its label.
 *
 * Labels of the examples that the model does not know are added to the confusion matrix after the
 * model's labels; they count as errors and get a recall of 0.
 *
 * @param model The model to evaluate.
 * @param examples Labelled texts, ideally not used for training.
 * @returns Accuracy, macro-F1, per-label scores and the confusion matrix; all 0 for no examples.
 *
 * @example Evaluate on the training data
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { evaluate } from "./_metrics.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const examples = [
 *   { text: "refund my invoice", label: "billing" },
 *   { text: "printer will not print", label: "it" },
 * ];
 * const model = trainModel(examples, { features: { buckets_log2: 12 } });
 * const result = evaluate(model, examples);
 * deepEqual(result.accuracy, 1);
 * deepEqual(result.confusion.matrix, [[1, 0], [0, 1]]);
 * ```
 */
export function evaluate(model: Model, examples: readonly Example[]): Evaluation {
  const labels = [...model.labels];
  const indexOf = new Map(labels.map((label, i) => [label, i]));
  for (const { label } of examples) {
    if (!indexOf.has(label)) {
      indexOf.set(label, labels.length);
      labels.push(label);
    }
  }
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  let correct = 0;
  for (const example of examples) {
    const predicted = predict(model, example.text, 1).label;
    if (predicted === example.label) correct++;
    const row = matrix[indexOf.get(example.label) as number] as number[];
    const column = indexOf.get(predicted) as number;
    row[column] = (row[column] as number) + 1;
  }
  const scores = labels.map((_, i) => _classScores(matrix, i));
  let f1Sum = 0;
  let counted = 0;
  scores.forEach((score, i) => {
    const predictedCount = matrix.reduce((sum, row) => sum + (row[i] as number), 0);
    if (score.support > 0 || predictedCount > 0) {
      f1Sum += score.f1;
      counted++;
    }
  });
  const per_class = Object.fromEntries(labels.map((label, i) => [label, scores[i] as ClassScores]));
  return {
    accuracy: examples.length === 0 ? 0 : correct / examples.length,
    macro_f1: counted === 0 ? 0 : f1Sum / counted,
    per_class,
    confusion: { labels, matrix },
  };
}

function _classScores(matrix: number[][], i: number): ClassScores {
  const row = matrix[i] as number[];
  const truePositives = row[i] as number;
  const support = row.reduce((sum, n) => sum + n, 0);
  const predicted = matrix.reduce((sum, r) => sum + (r[i] as number), 0);
  const precision = predicted === 0 ? 0 : truePositives / predicted;
  const recall = support === 0 ? 0 : truePositives / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support };
}
