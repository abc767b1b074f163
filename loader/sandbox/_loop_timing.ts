/**
 * The timing both sides of an offloaded loop agree on (a pure helper the guest may import).
 *
 * @module
 */

/** How often a loop checks its steps' timeouts and reports that it is alive, in ms. */
export function tickMs(steps: readonly { timeoutMs: number }[]): number {
  return Math.min(1000, Math.max(5, Math.min(...steps.map((s) => s.timeoutMs)) / 10));
}
