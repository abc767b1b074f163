/**
 * Compact encoding of a model's arrays: a bitmap of the hash buckets seen in training, and for
 * those buckets only, their IDF (one byte) and weight row (int8 with a per-label scale, or
 * float32), all base64.
 *
 * @module
 */

import { Buffer } from "node:buffer";

/** The encoded arrays, as stored in a model. */
export interface PackedArrays {
  /** Base64 bitmap of seen buckets, bucket `b` at bit `b & 7` of byte `b >> 3`. */
  rows: string;
  /** IDF × 16 as one byte per seen bucket, and the IDF of unseen buckets; `null` for no IDF. */
  idf: { unseen: number; data: string } | null;
  /** Weight rows of the seen buckets, in bucket order. */
  weights: EncodedWeights;
}

/** How the weight rows are stored. */
export interface EncodedWeights {
  /** `"int8"`: one byte per weight times `scales[label]`; `"float32"`: little-endian floats. */
  encoding: "int8" | "float32";
  /** Per-label multiplier for `"int8"`; empty for `"float32"`. */
  scales: number[];
  /** Base64 of `seen buckets * labels` weights, row-major. */
  data: string;
}

/** Dense arrays ready for prediction. */
export interface UnpackedArrays {
  /** `weights[bucket * labels + label]`, to be multiplied by `scales[label]`. */
  weights: Int8Array | Float32Array;
  /** Per-label multiplier of `weights`. */
  scales: Float64Array;
  /** IDF × 16 per bucket (see {@linkcode quantizeIdf}), or `null`. */
  idf: Uint8Array | null;
}

/**
 * Encode dense weights and IDF, keeping only the buckets marked as seen.
 *
 * @param dense Dense weights (`buckets * classes`), IDF bytes per bucket or `null`, seen flags.
 * @param options Number of labels and the weight encoding.
 * @returns The packed arrays.
 *
 * @example Round trip through unpackArrays
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { packArrays, unpackArrays } from "./_codec.ts";
 *
 * const weights = Float32Array.of(1, -1, 0, 0, 0.5, 0.25);
 * const seen = Uint8Array.of(1, 0, 1);
 * const packed = packArrays({ weights, idf: null, seen }, { classes: 2, encoding: "float32" });
 * deepEqual(unpackArrays(packed, { buckets: 3, classes: 2 }).weights, weights);
 * ```
 */
export function packArrays(
  dense: { weights: Float32Array; idf: Uint8Array | null; seen: Uint8Array },
  options: { classes: number; encoding: EncodedWeights["encoding"] },
): PackedArrays {
  const { weights, idf, seen } = dense;
  const { classes, encoding } = options;
  const bitmap = new Uint8Array(Math.ceil(seen.length / 8));
  const seenRows: number[] = [];
  for (let b = 0; b < seen.length; b++) {
    if (seen[b] === 0) continue;
    bitmap[b >> 3] = (bitmap[b >> 3] as number) | (1 << (b & 7));
    seenRows.push(b);
  }
  const rowWeights = new Float32Array(seenRows.length * classes);
  seenRows.forEach((b, r) =>
    rowWeights.set(weights.subarray(b * classes, (b + 1) * classes), r * classes)
  );
  let packedIdf: PackedArrays["idf"] = null;
  if (idf !== null) {
    let unseen = 0;
    for (let b = 0; b < seen.length; b++) if (seen[b] === 0) unseen = (idf[b] as number) / 16;
    packedIdf = { unseen, data: toBase64(Uint8Array.from(seenRows, (b) => idf[b] as number)) };
  }
  return {
    rows: toBase64(bitmap),
    idf: packedIdf,
    weights: _encodeWeights(rowWeights, classes, encoding),
  };
}

/**
 * Decode packed arrays into dense ones.
 *
 * @param packed The arrays from a model.
 * @param shape Number of hash buckets and of labels.
 * @returns Dense weights, their per-label scales and the IDF.
 * @throws {RangeError} When an array's length does not match the bucket bitmap, such as in a
 * truncated file.
 *
 * @example Unseen buckets get zero weights
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { packArrays, unpackArrays } from "./_codec.ts";
 *
 * const seen = Uint8Array.of(0, 1);
 * const weights = Float32Array.of(0, 0, 2, 3);
 * const packed = packArrays({ weights, idf: null, seen }, { classes: 2, encoding: "float32" });
 * deepEqual([...unpackArrays(packed, { buckets: 2, classes: 2 }).weights], [0, 0, 2, 3]);
 * ```
 */
export function unpackArrays(
  packed: PackedArrays,
  shape: { buckets: number; classes: number },
): UnpackedArrays {
  const { buckets, classes } = shape;
  const bitmap = fromBase64(packed.rows, "rows");
  if (bitmap.length !== Math.ceil(buckets / 8)) {
    throw new RangeError(`rows holds ${bitmap.length} bytes, expected ${Math.ceil(buckets / 8)}`);
  }
  const seenRows: number[] = [];
  for (let b = 0; b < buckets; b++) {
    if ((bitmap[b >> 3] as number) & (1 << (b & 7))) seenRows.push(b);
  }
  const rowCount = seenRows.length;
  const { encoding, scales } = packed.weights;
  const bytes = fromBase64(packed.weights.data, "weights.data");
  const width = encoding === "int8" ? 1 : 4;
  if (bytes.length !== rowCount * classes * width) {
    throw new RangeError(
      `weights.data holds ${bytes.length} bytes, expected ${rowCount * classes * width}`,
    );
  }
  const rows = encoding === "int8"
    ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)
    : new Float32Array(Uint8Array.from(bytes).buffer);
  const weights = encoding === "int8"
    ? new Int8Array(buckets * classes)
    : new Float32Array(buckets * classes);
  seenRows.forEach((b, r) =>
    weights.set(rows.subarray(r * classes, (r + 1) * classes), b * classes)
  );
  return {
    weights,
    scales: encoding === "int8" ? Float64Array.from(scales) : new Float64Array(classes).fill(1),
    idf: packed.idf === null ? null : _unpackIdf(packed.idf, seenRows, buckets),
  };
}

function _unpackIdf(
  idf: { unseen: number; data: string },
  seenRows: number[],
  buckets: number,
): Uint8Array {
  const bytes = fromBase64(idf.data, "idf.data");
  if (bytes.length !== seenRows.length) {
    throw new RangeError(`idf.data holds ${bytes.length} bytes, expected ${seenRows.length}`);
  }
  const dense = new Uint8Array(buckets).fill(quantizeIdf(idf.unseen));
  seenRows.forEach((b, r) => dense[b] = bytes[r] as number);
  return dense;
}

/**
 * Round an IDF to the precision models store it with (1/16).
 *
 * @param idf An inverse document frequency, at least 0.
 * @returns The stored byte, `round(idf * 16)` capped at 255.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { quantizeIdf } from "./_codec.ts";
 *
 * deepEqual(quantizeIdf(2.5), 40);
 * ```
 */
export function quantizeIdf(idf: number): number {
  return Math.min(255, Math.max(0, Math.round(idf * 16)));
}

function _encodeWeights(
  weights: Float32Array,
  classes: number,
  encoding: EncodedWeights["encoding"],
): EncodedWeights {
  if (encoding === "float32") {
    return { encoding, scales: [], data: toBase64(new Uint8Array(weights.buffer)) };
  }
  const scales = new Array<number>(classes).fill(0);
  for (let k = 0; k < weights.length; k++) {
    const c = k % classes;
    scales[c] = Math.max(scales[c] as number, Math.abs(weights[k] as number) / 127);
  }
  const bytes = new Int8Array(weights.length);
  for (let k = 0; k < weights.length; k++) {
    const scale = scales[k % classes] as number;
    bytes[k] = scale === 0 ? 0 : Math.round((weights[k] as number) / scale);
  }
  return { encoding, scales, data: toBase64(new Uint8Array(bytes.buffer)) };
}

/**
 * Encode bytes as base64.
 *
 * @param bytes Any bytes.
 * @returns Standard base64 with padding.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { toBase64 } from "./_codec.ts";
 *
 * deepEqual(toBase64(Uint8Array.of(104, 105)), "aGk=");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Decode standard base64, rejecting anything else.
 *
 * @param text Base64 text.
 * @param field Name of the field the text comes from, for the error message.
 * @returns The bytes.
 * @throws {RangeError} When the text is not well-formed base64.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { fromBase64 } from "./_codec.ts";
 *
 * deepEqual([...fromBase64("aGk=", "data")], [104, 105]);
 * ```
 */
export function fromBase64(text: string, field: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new RangeError(`${field} is not valid base64`);
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}
