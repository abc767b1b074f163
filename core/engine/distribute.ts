/**
 * The engine's side of a distributed `for_each` (`distribute: true`): the engine renders the
 * items and hands each to a {@linkcode Distribute} hook, which runs it elsewhere (a queue the
 * engine knows nothing of) and answers what it came to; a worker runs one item with
 * `Engine.runItem`. Everything that crosses is plain data.
 *
 * @module
 */
import type { StepState } from "../types.ts";

/** What one item of a `for_each` came to: its status, its failures and its `collect` value. */
export interface ItemOutcome {
  /** Succeeded when a sub-step succeeded and none failed (without `continue_on_error`). */
  status: "succeeded" | "failed" | "skipped";
  /** Its failures, each with the sub-step (or `collect`) and the error. */
  failures: { item: unknown; step: string; error: string | undefined }[];
  /** The value of `collect` for it, when that is set and yielded neither null nor undefined. */
  collected?: unknown;
}

/** What the sub-steps of one item read of the run around them, as plain data. */
export interface ItemScope {
  /** The states of the steps before the `for_each` (with their data). */
  steps: Record<string, StepState>;
  /** The runner's params. */
  params: Record<string, unknown>;
  /** Which cycle of the runner it is. */
  cycle: number;
}

/** One item of a distributed `for_each`, as a worker runs it. */
export interface ItemRequest extends ItemScope {
  /** The runner id. */
  runner: string;
  /** The `for_each` step id (a step of the runner's run list). */
  step: string;
  /** The item. */
  item: unknown;
  /** Its index in the list. */
  index: number;
}

/** A distributed `for_each` in progress: runs items elsewhere until it is disposed of. */
export interface RemoteLoop extends AsyncDisposable {
  /**
   * Runs one item elsewhere and waits for what it came to.
   *
   * @returns Its outcome, or undefined when a stop took it back before it started.
   */
  run(item: unknown, index: number): Promise<ItemOutcome | undefined>;
}

/** A `for_each` whose items are to run elsewhere. */
export interface DistributedLoop extends ItemScope {
  /** The runner id. */
  runner: string;
  /** The `for_each` step id. */
  step: string;
  /** Stops the loop: items not yet started are taken back. */
  signal?: AbortSignal | undefined;
}

/** Opens a distributed `for_each` (e.g. its queue); the engine disposes of it when done. */
export type Distribute = (loop: DistributedLoop) => Promise<RemoteLoop>;
