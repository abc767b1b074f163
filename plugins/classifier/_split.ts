/**
 * Deterministic, seeded train/test splitting.
 *
 * @module
 */

/** The two halves returned by {@linkcode splitHoldout}. */
export interface Holdout<T> {
  /** Rows to train on, in shuffled order. */
  train: T[];
  /** Held-out rows to evaluate on, in shuffled order. */
  test: T[];
}

/**
 * Shuffle rows with a seeded generator and hold out a fraction of them for testing.
 *
 * The same rows, fraction and seed always give the same split, on every platform.
 *
 * @param rows The rows to split; the array is not modified.
 * @param fraction Share of rows to hold out, in [0, 1]; rounded to the nearest whole row.
 * @param seed Seed of the shuffle.
 * @returns The training rows and the held-out rows.
 * @throws {RangeError} When `fraction` is outside [0, 1].
 *
 * @example Hold out 20% of ten rows
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { splitHoldout } from "./_split.ts";
 *
 * const rows = Array.from({ length: 10 }, (_, i) => i);
 * const { train, test } = splitHoldout(rows, 0.2, 7);
 * deepEqual([train.length, test.length], [8, 2]);
 * deepEqual(splitHoldout(rows, 0.2, 7).test, test);
 * ```
 */
export function splitHoldout<T>(rows: readonly T[], fraction = 0.2, seed = 42): Holdout<T> {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`Cannot split rows: fraction must be between 0 and 1, got ${fraction}`);
  }
  const shuffled = rows.slice();
  shuffleInPlace(shuffled, createRandom(seed));
  const testSize = Math.round(rows.length * fraction);
  return { test: shuffled.slice(0, testSize), train: shuffled.slice(testSize) };
}

/**
 * Create a seeded pseudo-random generator (mulberry32) returning floats in [0, 1).
 *
 * @param seed Any integer; only its low 32 bits matter.
 * @returns A function giving the next number of the sequence.
 *
 * @example Same seed, same sequence
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { createRandom } from "./_split.ts";
 *
 * const a = createRandom(1);
 * const b = createRandom(1);
 * deepEqual([a(), a()], [b(), b()]);
 * ```
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Shuffle an array in place (Fisher-Yates) using the given generator.
 *
 * @param items The array to shuffle.
 * @param random A generator of floats in [0, 1), such as one from {@linkcode createRandom}.
 * @returns The same array, shuffled.
 *
 * @example Shuffling keeps every item
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { createRandom, shuffleInPlace } from "./_split.ts";
 *
 * const items = shuffleInPlace([1, 2, 3, 4], createRandom(3));
 * deepEqual(items.toSorted(), [1, 2, 3, 4]);
 * ```
 */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const item = items[i] as T;
    items[i] = items[j] as T;
    items[j] = item;
  }
  return items;
}
