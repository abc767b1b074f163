/**
 * What crosses the queue, as plain data: a job (one item, its scope, and the scheduler's plugin
 * hashes) and its result (the item's outcome). Both sides check what they receive.
 *
 * @module
 */
import type { ItemOutcome, ItemRequest } from "../core/engine/distribute.ts";

/** The data of one job: an item of a distributed `for_each`. */
export interface ItemJob {
  /** The item, its loop and the scope its sub-steps read. */
  request: ItemRequest;
  /** The scheduler's plugin graph hashes by prefix; a worker whose differ refuses the job. */
  hashes: Record<string, string>;
}

const STATUSES = new Set(["succeeded", "failed", "skipped"]);

/**
 * The job's data, checked.
 *
 * @throws {TypeError} When it is not an {@linkcode ItemJob}.
 */
export function checkJob(data: unknown): ItemJob {
  const d = data as Partial<ItemJob> | null;
  const r = d?.request;
  if (
    !r || typeof r.runner !== "string" || typeof r.step !== "string" ||
    typeof r.index !== "number" || typeof r.steps !== "object" || r.steps === null ||
    typeof d.hashes !== "object" || d.hashes === null
  ) {
    throw new TypeError("Cannot run the job: its data is not an otai item; was it queued by otai?");
  }
  return d as ItemJob;
}

/**
 * A worker's result, checked: the host never takes it on trust.
 *
 * @throws {TypeError} When it is not an {@linkcode ItemOutcome}.
 */
export function checkOutcome(value: unknown): ItemOutcome {
  const o = value as Partial<ItemOutcome> | null;
  if (!o || !STATUSES.has(o.status as string) || !Array.isArray(o.failures)) {
    throw new TypeError("the worker's result is not an item outcome");
  }
  return o as ItemOutcome;
}

/**
 * Why a worker must refuse a job: the first plugin whose hash differs from the scheduler's,
 * or that one side has and the other has not.
 *
 * @returns The reason, or undefined when the hashes are the same.
 */
export function hashMismatch(
  scheduler: Record<string, string>,
  worker: Record<string, string>,
): string | undefined {
  const names = [...new Set([...Object.keys(scheduler), ...Object.keys(worker)])].sort();
  for (const name of names) {
    const [s, w] = [scheduler[name], worker[name]];
    if (s === w) continue;
    return `plugin "${name}" differs from the scheduler's (scheduler: ${s ?? "not loaded"}, ` +
      `this worker: ${w ?? "not loaded"}); run the same config, otai.lock and plugin code on ` +
      "every machine";
  }
  return undefined;
}
