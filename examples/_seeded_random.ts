/**
 * A small seeded PRNG (mulberry32) for the examples: the same seed gives the same sequence, so
 * generated sample files and injected fault sequences repeat.
 *
 * @module
 */

/**
 * Numbers in [0, 1) from a seed.
 *
 * @example
 * ```ts
 * import { seededRandom } from "./_seeded_random.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(seededRandom(7)(), seededRandom(7)());
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
