/**
 * Text to sparse feature vector: hashed word n-grams and character n-grams, sublinear TF, IDF
 * and per-block L2 normalisation. No vocabulary is stored; every n-gram is hashed into a fixed
 * number of buckets, so the model size does not grow with the training data.
 *
 * @module
 */

import { BucketCounter } from "./_bucket_counter.ts";

/** How text becomes features; stored in the model so prediction repeats training exactly. */
export interface FeatureSpec {
  /** Number of hash buckets as a power of two, e.g. 18 for 262144 buckets. */
  buckets_log2: number;
  /** Smallest and largest word n-gram length; `[0, 0]` turns word features off. */
  word_ngrams: [number, number];
  /** Smallest and largest character n-gram length; `[0, 0]` turns character features off. */
  char_ngrams: [number, number];
  /** Weight of the (unit length) word block in the combined vector. */
  word_weight: number;
  /** Weight of the (unit length) character block in the combined vector. */
  char_weight: number;
  /** Use `1 + ln(count)` instead of the raw count. */
  sublinear_tf: boolean;
}

/** A sparse vector; an index may appear more than once (once per block). */
export interface SparseVector {
  /** Bucket of each entry. */
  indices: Int32Array;
  /** Value of each entry. */
  values: Float32Array;
}

/** Raw bucket counts of one text, word block first, then the character block. */
export interface HashedCounts {
  /** Bucket of each entry. */
  indices: Int32Array;
  /** How often each bucket was hit within its block. */
  counts: Float32Array;
  /** Entries before this index belong to the word block, the rest to the character block. */
  wordEnd: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = 0x2f0b3c55;
const CHAR_SEED = 0x5bd1e995;

const _counter = new BucketCounter();
let _tokens: Int32Array<ArrayBuffer> = new Int32Array(1024);

/**
 * Count the hashed word and character n-grams of a text.
 *
 * Text is lower-cased and escaped line breaks (a literal backslash-n, as some helpdesk exports
 * contain) count as spaces. Words are runs of letters and digits. Character n-grams run over the
 * text with whitespace runs collapsed to one space, padded with one space each side.
 *
 * @param text Any text.
 * @param spec The feature settings.
 * @returns The bucket counts, word block first.
 *
 * @example Repeated words hit the same bucket
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { hashFeatures } from "./_features.ts";
 *
 * const spec = {
 *   buckets_log2: 16, word_ngrams: [1, 1] as [number, number], char_ngrams: [0, 0] as [number, number],
 *   word_weight: 1, char_weight: 1, sublinear_tf: false,
 * };
 * const counts = hashFeatures("Printer printer PRINTER", spec);
 * deepEqual([...counts.counts], [3]);
 * ```
 */
export function hashFeatures(text: string, spec: FeatureSpec): HashedCounts {
  const mask = 2 ** spec.buckets_log2 - 1;
  const [wordMin, wordMax] = spec.word_ngrams;
  if (wordMax > 0) _hashWords(text, wordMin, wordMax, mask);
  const words = _counter.drain();
  const [charMin, charMax] = spec.char_ngrams;
  if (charMax > 0) _hashChars(` ${_normalize(text)} `, charMin, charMax, mask);
  if (_counter.size === 0) {
    return { indices: words.indices, counts: words.counts, wordEnd: words.indices.length };
  }
  const chars = _counter.drain();
  const wordEnd = words.indices.length;
  const indices = new Int32Array(wordEnd + chars.indices.length);
  indices.set(words.indices);
  indices.set(chars.indices, wordEnd);
  const counts = new Float32Array(indices.length);
  counts.set(words.counts);
  counts.set(chars.counts, wordEnd);
  return { indices, counts, wordEnd };
}

/** Inputs of {@linkcode weightFeatures} besides the counts. */
export interface WeightOptions {
  /** The feature settings used for the counts. */
  spec: FeatureSpec;
  /** Inverse document frequency per bucket in any fixed unit (models store IDF × 16 as bytes;
   * the unit cancels out in the normalisation), or `null` for none. */
  idf: ArrayLike<number> | null;
}

/**
 * Turn bucket counts into a weighted vector: sublinear TF, optional IDF, each block scaled to
 * unit length and then by its block weight.
 *
 * @param counts Counts from {@linkcode hashFeatures}.
 * @param options The feature settings and the IDF.
 * @returns The weighted sparse vector.
 *
 * @example A single feature gets the block weight
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { hashFeatures, weightFeatures } from "./_features.ts";
 *
 * const spec = {
 *   buckets_log2: 16, word_ngrams: [1, 1] as [number, number], char_ngrams: [0, 0] as [number, number],
 *   word_weight: 0.5, char_weight: 1, sublinear_tf: true,
 * };
 * const vector = weightFeatures(hashFeatures("refund refund", spec), { spec, idf: null });
 * deepEqual([...vector.values], [0.5]);
 * ```
 */
export function weightFeatures(counts: HashedCounts, options: WeightOptions): SparseVector {
  const { spec, idf } = options;
  const { indices, wordEnd } = counts;
  const values = new Float32Array(indices.length);
  for (let i = 0; i < values.length; i++) {
    const count = counts.counts[i] as number;
    const tf = spec.sublinear_tf ? 1 + Math.log(count) : count;
    values[i] = idf === null ? tf : tf * (idf[indices[i] as number] as number);
  }
  _scaleToLength(values.subarray(0, wordEnd), spec.word_weight);
  _scaleToLength(values.subarray(wordEnd), spec.char_weight);
  return { indices, values };
}

/** Scale a vector in place to the given Euclidean length (a zero vector stays zero). */
function _scaleToLength(values: Float32Array, length: number): void {
  let norm = 0;
  for (const value of values) norm += value * value;
  if (norm === 0) return;
  const scale = length / Math.sqrt(norm);
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * scale;
}

function _normalize(text: string): string {
  return text.replace(/\\[nrt]/g, " ").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Lower-cased code of a letter or digit at `at`, or -1 for any other character. */
function _wordCode(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code < 128) {
    if (code >= 97 && code <= 122) return code;
    if (code >= 65 && code <= 90) return code + 32;
    if (code >= 48 && code <= 57) return code;
    return -1;
  }
  const char = text[at] as string;
  return /[\p{L}\p{N}\p{M}]/u.test(char) ? char.toLowerCase().charCodeAt(0) : -1;
}

function _hashWords(text: string, min: number, max: number, mask: number): void {
  let count = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? _wordCode(text, i) : -1;
    if (code === -1 && text.charCodeAt(i) === 92 && _isEscape(text.charCodeAt(i + 1))) i++;
    if (code !== -1) {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      if (count === _tokens.length) _tokens = _grow(_tokens);
      _tokens[count++] = hash;
      hash = FNV_OFFSET;
      inWord = false;
    }
  }
  for (let start = 0; start < count; start++) {
    let gram = WORD_SEED;
    for (let n = 1; n <= max && start + n <= count; n++) {
      gram = _fmix(Math.imul(gram ^ (_tokens[start + n - 1] as number), FNV_PRIME) + n);
      if (n >= min) _counter.add(gram & mask);
    }
  }
}

/** Whether a backslash followed by this code is an escaped line break or tab. */
function _isEscape(code: number): boolean {
  return code === 110 || code === 114 || code === 116;
}

function _hashChars(text: string, min: number, max: number, mask: number): void {
  const length = text.length;
  for (let start = 0; start < length; start++) {
    let hash = CHAR_SEED;
    for (let n = 1; n <= max && start + n <= length; n++) {
      hash = Math.imul(hash ^ text.charCodeAt(start + n - 1), FNV_PRIME);
      if (n >= min) _counter.add(_fmix(hash + n) & mask);
    }
  }
}

/** MurmurHash3 finaliser: spreads the bits of a 32-bit hash. */
function _fmix(hash: number): number {
  let h = hash | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function _grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
