import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { predict } from "./_model.ts";
import { parseModel, readModel, serializeModel, writeModel } from "./_model_file.ts";
import { createRandom } from "./_split.ts";
import { type Example, trainModel, type TrainOptions } from "./_train_model.ts";

const TOPICS: Record<string, string[]> = {
  billing: ["invoice", "refund", "charge", "payment", "billing", "receipt"],
  network: ["vpn", "router", "wifi", "latency", "dns", "firewall"],
  hardware: ["printer", "laptop", "screen", "keyboard", "battery", "docking"],
};
const FILLER = ["please", "help", "hello", "thanks", "issue", "urgent", "today", "team", "again"];
const SMALL: TrainOptions = { features: { buckets_log2: 14 }, epochs: 8 };

/** Synthetic tickets: filler words plus topic words; `noise` is the share of random labels. */
function synthetic(count: number, seed: number, noise = 0): Example[] {
  const random = createRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
  const labels = Object.keys(TOPICS);
  return Array.from({ length: count }, (_, i) => {
    const label = labels[i % labels.length] as string;
    const words = Array.from({ length: 8 }, () => pick(FILLER));
    for (let k = 0; k < 3; k++) words.splice(Math.floor(random() * 8), 0, pick(TOPICS[label]!));
    return { text: words.join(" "), label: random() < noise ? pick(labels) : label };
  });
}

Deno.test("trainModel() learns separable topics", () => {
  const model = trainModel(synthetic(300, 1), SMALL);
  deepEqual(model.labels, ["billing", "hardware", "network"]);
  const test = synthetic(150, 2);
  const correct = test.filter((e) => predict(model, e.text).label === e.label).length;
  ok(correct / test.length >= 0.95, `accuracy ${correct / test.length}`);
});

Deno.test("trainModel() is deterministic", () => {
  const examples = synthetic(120, 3, 0.1);
  equal(serializeModel(trainModel(examples, SMALL)), serializeModel(trainModel(examples, SMALL)));
});

Deno.test("trainModel() records what it was trained on", () => {
  const model = trainModel(synthetic(90, 4), SMALL);
  deepEqual(model.training.examples, 90);
  deepEqual(model.training.counts, { billing: 30, hardware: 30, network: 30 });
  deepEqual(model.format, "otai-classifier");
  deepEqual(model.version, 1);
});

Deno.test("trainModel() rejects unusable input", async (t) => {
  const examples = synthetic(10, 5);
  const cases: [string, () => unknown, RegExp][] = [
    ["no examples", () => trainModel([]), /no examples/],
    ["empty label", () => trainModel([{ text: "x", label: "" }]), /example 0 has an empty label/],
    ["buckets", () => trainModel(examples, { features: { buckets_log2: 30 } }), /buckets_log2/],
    ["epochs", () => trainModel(examples, { epochs: 0 }), /epochs/],
    ["cost", () => trainModel(examples, { cost: 0 }), /cost/],
    ["calibration", () => trainModel(examples, { calibration: 1 }), /calibration/],
  ];
  for (const [name, run, message] of cases) {
    await t.step(
      name,
      () =>
        throws(run, (error: Error) => error instanceof RangeError && message.test(error.message)),
    );
  }
});

Deno.test("trainModel() accepts a single label", () => {
  const model = trainModel([{ text: "anything", label: "only" }], SMALL);
  deepEqual(predict(model, "something else"), {
    label: "only",
    confidence: 1,
    top: [{ label: "only", confidence: 1 }],
  });
});

Deno.test("predict() returns ranked probabilities", async (t) => {
  const model = trainModel(synthetic(150, 6), SMALL);
  const text = "hello my invoice and the vpn";
  await t.step("all labels sum to one", () => {
    const { top } = predict(model, text, 10);
    equal(top.length, 3);
    ok(Math.abs(top.reduce((sum, s) => sum + s.confidence, 0) - 1) < 1e-9);
    ok(
      top.every((s, i) =>
        s.confidence >= 0 && s.confidence <= 1 &&
        (i === 0 || s.confidence <= top[i - 1]!.confidence)
      ),
    );
  });
  await t.step("label is the best of top", () => {
    const prediction = predict(model, text, 2);
    equal(prediction.top.length, 2);
    deepEqual(prediction.top[0], { label: prediction.label, confidence: prediction.confidence });
  });
  await t.step("top defaults to 3 and may be 0", () => {
    equal(predict(model, text).top.length, 3);
    deepEqual(predict(model, text, 0).top, []);
  });
  await t.step(
    "empty text gets a label",
    () => ok(model.labels.includes(predict(model, "").label)),
  );
});

Deno.test("predict() confidence tracks accuracy on unseen data", () => {
  const model = trainModel(synthetic(600, 7, 0.3), { ...SMALL, calibration: 0.25 });
  ok(model.temperature > 0 && model.temperature !== 1);
  const test = synthetic(600, 8, 0.3);
  const predictions = test.map((e) => predict(model, e.text));
  const accuracy = predictions.filter((p, i) => p.label === test[i]!.label).length / test.length;
  const confidence = predictions.reduce((sum, p) => sum + p.confidence, 0) / test.length;
  ok(Math.abs(confidence - accuracy) < 0.1, `confidence ${confidence}, accuracy ${accuracy}`);
});

Deno.test("predict() gives the same labels with float32 and int8 weights", () => {
  const examples = synthetic(300, 9, 0.2);
  const small = trainModel(examples, SMALL);
  const exact = trainModel(examples, { ...SMALL, weightEncoding: "float32" });
  const test = synthetic(100, 10);
  const same = test.filter((e) => predict(small, e.text).label === predict(exact, e.text).label);
  ok(same.length >= 98, `${same.length} of 100 agree`);
  ok(serializeModel(small).length < serializeModel(exact).length);
});

Deno.test("parseModel() reads back what serializeModel() wrote", () => {
  const model = trainModel(synthetic(150, 11), SMALL);
  const loaded = parseModel(serializeModel(model), "models/queue.json");
  deepEqual(loaded, model);
  for (const { text } of synthetic(30, 12)) deepEqual(predict(loaded, text), predict(model, text));
});

Deno.test("parseModel() says what is wrong and how to fix it", async (t) => {
  const good = JSON.parse(serializeModel(trainModel(synthetic(60, 13), SMALL)));
  const variant = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch });
  const weights = good.weights as { data: string };
  const cases: [string, string, RegExp][] = [
    [
      "truncated JSON",
      serializeModel(good).slice(0, 500),
      /not valid JSON, so the file is truncated or corrupt/,
    ],
    ["empty file", "", /not valid JSON/],
    ["not an object", "[1, 2]", /not an otai classifier model \(not a JSON object\)/],
    [
      "wrong format",
      variant({ format: "fasttext" }),
      /format is "fasttext", expected "otai-classifier"/,
    ],
    [
      "newer version",
      variant({ version: 2 }),
      /version 2, and this otai reads only version 1; upgrade otai/,
    ],
    ["missing version", variant({ version: undefined }), /version null/],
    ["no labels", variant({ labels: [] }), /damaged: labels must be a non-empty array/],
    ["duplicate labels", variant({ labels: ["a", "a", "b"] }), /labels contains a label twice/],
    ["bias length", variant({ bias: [0] }), /bias must hold 3 numbers/],
    ["bad encoding", variant({ weights: { ...weights, encoding: "f16" } }), /weights.encoding/],
    ["bad temperature", variant({ temperature: 0 }), /temperature must be a number above 0/],
    [
      "bad features",
      variant({ features: { ...good.features, word_ngrams: [3, 1] } }),
      /word_ngrams/,
    ],
    [
      "cut weights",
      variant({ weights: { ...weights, data: weights.data.slice(0, 400) } }),
      /damaged or truncated: weights.data holds/,
    ],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, () => {
      throws(() => parseModel(text, "models/queue.json"), (error: Error) => {
        ok(message.test(error.message), error.message);
        ok(
          error.message.startsWith('Cannot load classifier model "models/queue.json": '),
          error.message,
        );
        ok(error.message.includes("classifier:Train"), error.message);
        return true;
      });
    });
  }
  await t.step(
    "without a path",
    () =>
      throws(() => parseModel("{"), /^Error: Cannot load classifier model: it is not valid JSON/),
  );
});

Deno.test("writeModel() and readModel() round trip through a file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const model = trainModel(synthetic(60, 14), SMALL);
    const path = `${dir}/queue.json`;
    await writeModel(path, model);
    await writeModel(path, model);
    deepEqual(await readModel(path), model);
    deepEqual(Array.from(Deno.readDirSync(dir), (entry) => entry.name), ["queue.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readModel() explains a missing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rejects(
      readModel(`${dir}/missing.json`),
      /missing.json": the file does not exist; train one with classifier:Train/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
