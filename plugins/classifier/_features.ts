/**
 * Text to sparse feature vector: hashed word n-grams and character n-grams, sublinear TF, IDF
 * and per-block L2 normalisation. No vocabulary is stored; every n-gram is hashed into a fixed
 * number of buckets, so the model size does not grow with the training data.
 *
 * @module
 */

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

let _scratch = new Float32Array(0);
let _touched = new Int32Array(4096);
let _tokens = new Int32Array(1024);
let _size = 0;
let _mask = 0;

function _emit(hash: number): void {
  const index = _fmix(hash) & _mask;
  const count = _scratch[index] as number;
  if (count === 0) {
    if (_size === _touched.length) _touched = _grow(_touched);
    _touched[_size++] = index;
  }
  _scratch[index] = count + 1;
}

/**
 * Count the hashed word and character n-grams of a text.
 *
 * Text is lower-cased, escaped line breaks (a literal backslash-n, as some helpdesk exports
 * contain) become spaces and whitespace runs collapse to one space. Words are runs of letters and
 * digits; character n-grams run over the whole normalised text, padded with one space each side.
 *
 * @param text Any text.
 * @param spec The feature settings.
 * @returns The bucket counts, word block first.
 *
 * @example Repeated words hit the same bucket
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { hashFeatures } from "./_features.ts";
 *
 * const spec = {
 *   buckets_log2: 16, word_ngrams: [1, 1] as [number, number], char_ngrams: [0, 0] as [number, number],
 *   word_weight: 1, char_weight: 1, sublinear_tf: false,
 * };
 * const counts = hashFeatures("Printer printer PRINTER", spec);
 * assertEquals([...counts.counts], [3]);
 * ```
 */
export function hashFeatures(text: string, spec: FeatureSpec): HashedCounts {
  const buckets = 2 ** spec.buckets_log2;
  if (_scratch.length !== buckets) _scratch = new Float32Array(buckets);
  _mask = buckets - 1;
  _size = 0;
  const normal = _normalize(text);
  const [wordMin, wordMax] = spec.word_ngrams;
  if (wordMax > 0) _hashWords(normal, wordMin, wordMax);
  const wordEnd = _size;
  const wordCounts = _flush(0, wordEnd);
  const [charMin, charMax] = spec.char_ngrams;
  if (charMax > 0) _hashChars(` ${normal} `, charMin, charMax);
  const counts = new Float32Array(_size);
  counts.set(wordCounts);
  counts.set(_flush(wordEnd, _size), wordEnd);
  const indices = _touched.slice(0, _size);
  return { indices, counts, wordEnd };
}

/**
 * Turn bucket counts into a weighted vector: sublinear TF, optional IDF, each block scaled to
 * unit length and then by its block weight.
 *
 * @param counts Counts from {@linkcode hashFeatures}.
 * @param spec The feature settings used for the counts.
 * @param idf Inverse document frequency per bucket, or `null` for none.
 * @returns The weighted sparse vector.
 *
 * @example A single feature gets the block weight
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { hashFeatures, weightFeatures } from "./_features.ts";
 *
 * const spec = {
 *   buckets_log2: 16, word_ngrams: [1, 1] as [number, number], char_ngrams: [0, 0] as [number, number],
 *   word_weight: 0.5, char_weight: 1, sublinear_tf: true,
 * };
 * const vector = weightFeatures(hashFeatures("refund refund", spec), spec, null);
 * assertEquals([...vector.values], [0.5]);
 * ```
 */
export function weightFeatures(
  counts: HashedCounts,
  spec: FeatureSpec,
  idf: Float32Array | null,
): SparseVector {
  const { indices, wordEnd } = counts;
  const values = new Float32Array(indices.length);
  _weightBlock(counts, values, 0, wordEnd, spec, idf, spec.word_weight);
  _weightBlock(counts, values, wordEnd, indices.length, spec, idf, spec.char_weight);
  return { indices, values };
}

/** Read and clear the scratch counts of touched entries `from` to `to`. */
function _flush(from: number, to: number): Float32Array {
  const counts = new Float32Array(to - from);
  for (let i = from; i < to; i++) {
    const index = _touched[i] as number;
    counts[i - from] = _scratch[index] as number;
    _scratch[index] = 0;
  }
  return counts;
}

function _weightBlock(
  counts: HashedCounts,
  values: Float32Array,
  from: number,
  to: number,
  spec: FeatureSpec,
  idf: Float32Array | null,
  weight: number,
): void {
  let norm = 0;
  for (let i = from; i < to; i++) {
    const count = counts.counts[i] as number;
    let value = spec.sublinear_tf ? 1 + Math.log(count) : count;
    if (idf !== null) value *= idf[counts.indices[i] as number] as number;
    values[i] = value;
    norm += value * value;
  }
  if (norm === 0) return;
  const scale = weight / Math.sqrt(norm);
  for (let i = from; i < to; i++) values[i] = (values[i] as number) * scale;
}

function _normalize(text: string): string {
  return text.replace(/\\[nrt]/g, " ").toLowerCase().replace(/\s+/g, " ").trim();
}

function _isWordChar(code: number, text: string, at: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
  return /[\p{L}\p{N}\p{M}]/u.test(text[at] ?? "");
}

function _hashWords(text: string, min: number, max: number): void {
  let count = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (_isWordChar(code, text, i)) {
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
      gram = Math.imul(gram ^ (_tokens[start + n - 1] as number), FNV_PRIME) + n;
      gram = _fmix(gram);
      if (n >= min) _emit(gram);
    }
  }
}

function _hashChars(text: string, min: number, max: number): void {
  const length = text.length;
  for (let start = 0; start < length; start++) {
    let hash = CHAR_SEED;
    for (let n = 1; n <= max && start + n <= length; n++) {
      hash = Math.imul(hash ^ text.charCodeAt(start + n - 1), FNV_PRIME);
      if (n >= min) _emit(hash + n);
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

function _grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
