/**
 * How long to wait before trying a call again: `retry_delay_ms`, doubling with each try, at
 * most 30 s, with some jitter so that parallel callers do not come back at once.
 *
 * @module
 */

/** The longest wait between two tries. */
const MAX_DELAY_MS = 30_000;

/**
 * Waits before try number `attempt + 2`.
 *
 * @param firstMs The wait before the second try.
 * @param attempt How many tries failed before this one, minus one (0 after the first).
 * @returns When the wait is over.
 *
 * @example
 * ```ts
 * import { backoff } from "./_backoff.ts";
 * const started = Date.now();
 * await backoff(20, 1);
 * if (Date.now() - started < 25) throw new Error("waited too little");
 * ```
 */
export function backoff(firstMs: number, attempt: number): Promise<void> {
  const wait = Math.min(MAX_DELAY_MS, firstMs * 2 ** attempt) * (0.75 + Math.random() / 4);
  return new Promise((resolve) => setTimeout(resolve, wait));
}
