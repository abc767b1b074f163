import { deepEqual, equal, notDeepEqual, ok } from "node:assert/strict";
import { BucketCounter } from "./_bucket_counter.ts";
import { type FeatureSpec, hashFeatures, weightFeatures } from "./_features.ts";

function spec(overrides: Partial<FeatureSpec> = {}): FeatureSpec {
  return {
    buckets_log2: 16,
    word_ngrams: [1, 2],
    char_ngrams: [0, 0],
    word_weight: 1,
    char_weight: 1,
    sublinear_tf: true,
    ...overrides,
  };
}

function sorted(text: string, features: FeatureSpec): string {
  const { indices, counts } = hashFeatures(text, features);
  return Array.from(indices, (index, i) => `${index}:${counts[i]}`).sort().join(",");
}

Deno.test("hashFeatures() counts word unigrams and bigrams", () => {
  const counts = hashFeatures("vpn down, vpn down", spec());
  // vpn, down, "vpn down" twice each; "down vpn" once.
  deepEqual(counts.wordEnd, 4);
  deepEqual([...counts.counts].sort(), [1, 2, 2, 2]);
});

Deno.test("hashFeatures() ignores case, punctuation and escaped line breaks", async (t) => {
  const words = spec();
  await t.step("case", () => equal(sorted("VPN Down", words), sorted("vpn down", words)));
  await t.step(
    "punctuation",
    () => equal(sorted("vpn... down!", words), sorted("vpn down", words)),
  );
  await t.step("escaped newline", () => {
    equal(sorted("vpn\\n\\ndown", words), sorted("vpn down", words));
  });
  await t.step(
    "real newline",
    () => equal(sorted("vpn\r\ndown", words), sorted("vpn down", words)),
  );
  await t.step("non-ASCII letters", () => {
    equal(sorted("Größe ÄNDERN", words), sorted("größe ändern", words));
    notDeepEqual(sorted("größe", words), sorted("gr e", words));
  });
});

Deno.test("hashFeatures() puts character n-grams after the word block", () => {
  const counts = hashFeatures("ab", spec({ word_ngrams: [1, 1], char_ngrams: [2, 3] }));
  deepEqual(counts.wordEnd, 1);
  // " ab " has 2-grams " a", "ab", "b " and 3-grams " ab", "ab ".
  deepEqual(counts.indices.length - counts.wordEnd, 5);
});

Deno.test("hashFeatures() returns nothing for text without words", () => {
  const counts = hashFeatures("  ... !!", spec());
  deepEqual([counts.indices.length, counts.wordEnd], [0, 0]);
});

Deno.test("hashFeatures() keeps indices inside the bucket range", () => {
  const small = spec({ buckets_log2: 4, char_ngrams: [1, 4] });
  const counts = hashFeatures("the quick brown fox jumps over the lazy dog", small);
  ok(counts.indices.every((index) => index >= 0 && index < 16));
});

Deno.test("weightFeatures() scales each block to its weight", () => {
  const features = spec({ char_ngrams: [2, 4], word_weight: 2, char_weight: 0.5 });
  const counts = hashFeatures("printer jam printer", features);
  const idf = new Uint8Array(2 ** 16).fill(16);
  const { values } = weightFeatures(counts, { spec: features, idf });
  const norm = (from: number, to: number) =>
    Math.sqrt(values.slice(from, to).reduce((sum, v) => sum + v * v, 0));
  ok(Math.abs(norm(0, counts.wordEnd) - 2) < 1e-5);
  ok(Math.abs(norm(counts.wordEnd, values.length) - 0.5) < 1e-5);
});

Deno.test("weightFeatures() applies sublinear TF and IDF", () => {
  const features = spec({ word_ngrams: [1, 1] });
  const counts = hashFeatures("a a a a b", features);
  const [a = 0, b = 0] = counts.indices;
  const idf = new Uint8Array(2 ** 16).fill(16);
  idf[b] = 32;
  const { values } = weightFeatures(counts, { spec: features, idf });
  const ratio = (values[0] as number) / (values[1] as number);
  ok(Math.abs(ratio - (1 + Math.log(4)) / 2) < 1e-5, `ratio ${ratio} for buckets ${a}, ${b}`);
});

Deno.test("BucketCounter grows past its first capacity and keeps order", () => {
  const counter = new BucketCounter();
  for (let round = 0; round < 3; round++) {
    for (let bucket = 0; bucket < 5_000; bucket++) counter.add(bucket * 7919);
  }
  equal(counter.size, 5_000);
  const { indices, counts } = counter.drain();
  deepEqual(indices[4_999], 4_999 * 7919);
  ok(counts.every((count) => count === 3));
  equal(counter.size, 0);
  counter.add(1);
  deepEqual([...counter.drain().indices], [1]);
});
