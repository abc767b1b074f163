/**
 * A small open-addressing hash table that counts hash buckets. Counting a text's few hundred
 * n-grams here stays in the CPU cache, unlike a dense array with one slot per bucket.
 *
 * @module
 */

/**
 * Counts how often each bucket is hit, remembering first-hit order.
 *
 * @example Count three hits on two buckets
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { BucketCounter } from "./_bucket_counter.ts";
 *
 * const counter = new BucketCounter();
 * counter.add(7);
 * counter.add(3);
 * counter.add(7);
 * const { indices, counts } = counter.drain();
 * deepEqual([...indices], [7, 3]);
 * deepEqual([...counts], [2, 1]);
 * ```
 */
export class BucketCounter {
  #keys = new Int32Array(1024).fill(-1);
  #counts = new Float32Array(1024);
  #order = new Int32Array(512);
  #size = 0;

  /** Number of distinct buckets counted since the last drain. */
  get size(): number {
    return this.#size;
  }

  /**
   * Count one hit on a bucket.
   *
   * @param bucket A non-negative 31-bit bucket index.
   */
  add(bucket: number): void {
    const keys = this.#keys;
    const mask = keys.length - 1;
    let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const key = keys[slot] as number;
      if (key === bucket) {
        this.#counts[slot] = (this.#counts[slot] as number) + 1;
        return;
      }
      if (key === -1) break;
      slot = (slot + 1) & mask;
    }
    keys[slot] = bucket;
    this.#counts[slot] = 1;
    this.#order[this.#size++] = slot;
    if (this.#size * 2 >= keys.length) this.#grow();
  }

  /**
   * Return the counted buckets in first-hit order, with their counts, and reset the counter.
   *
   * @returns The buckets and how often each was hit.
   */
  drain(): { indices: Int32Array; counts: Float32Array } {
    const indices = new Int32Array(this.#size);
    const counts = new Float32Array(this.#size);
    for (let i = 0; i < this.#size; i++) {
      const slot = this.#order[i] as number;
      indices[i] = this.#keys[slot] as number;
      counts[i] = this.#counts[slot] as number;
      this.#keys[slot] = -1;
    }
    this.#size = 0;
    return { indices, counts };
  }

  #grow(): void {
    const keys = this.#keys;
    const counts = this.#counts;
    const order = this.#order;
    const capacity = keys.length * 2;
    this.#keys = new Int32Array(capacity).fill(-1);
    this.#counts = new Float32Array(capacity);
    this.#order = new Int32Array(capacity / 2);
    const mask = capacity - 1;
    for (let i = 0; i < this.#size; i++) {
      const old = order[i] as number;
      const bucket = keys[old] as number;
      let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & mask;
      while (this.#keys[slot] !== -1) slot = (slot + 1) & mask;
      this.#keys[slot] = bucket;
      this.#counts[slot] = counts[old] as number;
      this.#order[i] = slot;
    }
  }
}
