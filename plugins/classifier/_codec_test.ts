import { deepEqual, ok, throws } from "node:assert/strict";
import { fromBase64, packArrays, quantizeIdf, toBase64, unpackArrays } from "./_codec.ts";
import { createRandom } from "./_split.ts";

function randomWeights(length: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length }, () => random() * 4 - 2);
}

Deno.test("packArrays() keeps only seen buckets", () => {
  const weights = Float32Array.of(1, 2, 0, 0, 3, 4, 0, 0);
  const seen = Uint8Array.of(1, 0, 1, 0);
  const idf = Uint8Array.of(20, 40, 30, 40);
  const packed = packArrays({ weights, idf, seen }, { classes: 2, encoding: "float32" });
  deepEqual(fromBase64(packed.rows, "rows"), Uint8Array.of(0b101));
  deepEqual(packed.idf?.unseen, 2.5);
  deepEqual(fromBase64(packed.idf?.data ?? "", "idf"), Uint8Array.of(20, 30));
  const unpacked = unpackArrays(packed, { buckets: 4, classes: 2 });
  deepEqual(unpacked.weights, weights);
  deepEqual(unpacked.idf, idf);
  deepEqual([...unpacked.scales], [1, 1]);
});

Deno.test("packArrays() int8 encoding stays within one quantisation step", () => {
  const weights = randomWeights(3 * 1000, 1);
  const seen = new Uint8Array(1000).fill(1);
  const packed = packArrays({ weights, idf: null, seen }, { classes: 3, encoding: "int8" });
  const { weights: bytes, scales } = unpackArrays(packed, { buckets: 1000, classes: 3 });
  for (let k = 0; k < weights.length; k++) {
    const scale = scales[k % 3] as number;
    const restored = (bytes[k] as number) * scale;
    ok(Math.abs(restored - (weights[k] as number)) <= scale / 2 + 1e-6);
  }
});

Deno.test("unpackArrays() rejects arrays that do not fit together", async (t) => {
  const seen = Uint8Array.of(1, 1, 0, 1);
  const packed = packArrays(
    { weights: randomWeights(8, 2), idf: Uint8Array.of(1, 2, 3, 4), seen },
    { classes: 2, encoding: "int8" },
  );
  await t.step("truncated weights", () => {
    const data = toBase64(fromBase64(packed.weights.data, "w").subarray(0, 4));
    const broken = { ...packed, weights: { ...packed.weights, data } };
    throws(
      () => unpackArrays(broken, { buckets: 4, classes: 2 }),
      /weights.data holds 4 bytes, expected 6/,
    );
  });
  await t.step("wrong bitmap size", () => {
    throws(
      () => unpackArrays(packed, { buckets: 64, classes: 2 }),
      /rows holds 1 bytes, expected 8/,
    );
  });
  await t.step("short idf", () => {
    const broken = { ...packed, idf: { unseen: 1, data: toBase64(Uint8Array.of(1)) } };
    throws(
      () => unpackArrays(broken, { buckets: 4, classes: 2 }),
      /idf.data holds 1 bytes, expected 3/,
    );
  });
  await t.step("invalid base64", () => {
    throws(
      () => unpackArrays({ ...packed, rows: "**==" }, { buckets: 4, classes: 2 }),
      /rows is not valid base64/,
    );
    throws(() => fromBase64("abc", "x"), RangeError);
  });
});

Deno.test("quantizeIdf() rounds to sixteenths and clamps", () => {
  deepEqual([quantizeIdf(1), quantizeIdf(1.03), quantizeIdf(100), quantizeIdf(-1)], [
    16,
    16,
    255,
    0,
  ]);
});
