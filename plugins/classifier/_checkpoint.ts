/**
 * A point between the phases of a long pipe where a timeout or shutdown takes effect.
 *
 * @module
 */

/**
 * Let pending events run (an abort arrives as one), then throw if the signal is aborted.
 *
 * Synchronous work cannot see an abort that arrives during it, so long pipes call this between
 * their phases.
 *
 * @param signal The pipe's `ctx.signal`.
 * @returns Resolves when the pipe may go on.
 * @throws {unknown} The signal's reason, when it is aborted.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { checkpoint } from "./_checkpoint.ts";
 *
 * await checkpoint(new AbortController().signal);
 * await rejects(checkpoint(AbortSignal.abort(new Error("stop"))), /stop/);
 * ```
 */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  signal.throwIfAborted();
}
