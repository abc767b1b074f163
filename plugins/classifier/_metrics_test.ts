import { deepEqual, equal, ok } from "node:assert/strict";
import { evaluate } from "./_metrics.ts";
import { predict } from "./_model.ts";
import { trainModel } from "./_train_model.ts";

const model = trainModel([
  { text: "invoice refund payment", label: "billing" },
  { text: "vpn router wifi", label: "network" },
  { text: "printer laptop screen", label: "hardware" },
], { features: { buckets_log2: 12 } });

Deno.test("evaluate() scores hand-checked predictions", () => {
  const examples = [
    { text: "invoice", label: "billing" },
    { text: "refund", label: "billing" },
    { text: "vpn", label: "billing" },
    { text: "router", label: "network" },
    { text: "printer", label: "hardware" },
    { text: "laptop", label: "network" },
  ];
  const predicted = examples.map((e) => predict(model, e.text).label);
  deepEqual(predicted, ["billing", "billing", "network", "network", "hardware", "hardware"]);
  const result = evaluate(model, examples);
  equal(result.accuracy, 4 / 6);
  deepEqual(result.confusion, {
    labels: ["billing", "hardware", "network"],
    matrix: [[2, 0, 1], [0, 1, 0], [0, 1, 1]],
  });
  deepEqual(result.per_class.billing, { precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
  deepEqual(result.per_class.hardware, { precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
  deepEqual(result.per_class.network, { precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  ok(Math.abs(result.macro_f1 - (0.8 + 2 / 3 + 0.5) / 3) < 1e-12);
});

Deno.test("evaluate() counts labels the model does not know as errors", () => {
  const result = evaluate(model, [
    { text: "invoice", label: "billing" },
    { text: "vpn", label: "sales" },
  ]);
  equal(result.accuracy, 0.5);
  deepEqual(result.confusion.labels, ["billing", "hardware", "network", "sales"]);
  deepEqual(result.confusion.matrix[3], [0, 0, 1, 0]);
  deepEqual(result.per_class.sales, { precision: 0, recall: 0, f1: 0, support: 1 });
  // hardware is neither present nor predicted, so it is left out of the macro average.
  ok(Math.abs(result.macro_f1 - (1 + 0 + 0) / 3) < 1e-12);
});

Deno.test("evaluate() of no examples is all zeros", () => {
  const result = evaluate(model, []);
  deepEqual([result.accuracy, result.macro_f1], [0, 0]);
  deepEqual(result.confusion.matrix, [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
});

Deno.test("evaluate() and trainModel() accept labels named like Object members", () => {
  const examples = [
    { text: "alpha beta", label: "__proto__" },
    { text: "gamma delta", label: "constructor" },
  ];
  const odd = trainModel(examples, { features: { buckets_log2: 10 } });
  deepEqual(odd.training.counts, JSON.parse('{"__proto__": 1, "constructor": 1}'));
  const result = evaluate(odd, examples);
  equal(result.accuracy, 1);
  deepEqual(Object.keys(result.per_class), ["__proto__", "constructor"]);
  equal(result.per_class["__proto__"]?.support, 1);
});
