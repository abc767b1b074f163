/**
 * What the engine reports: finished steps and runner cycles, progress, and the options of a
 * cycle.
 *
 * @module
 */
import type { StepState } from "../types.ts";

/** A finished step, as results documents and summaries show it. */
export interface StepResult extends StepState {
  /** The step id. */
  id: string;
  /** When it started (ISO 8601). */
  started_at: string;
  /** How long it took. */
  duration_ms: number;
}

/** A finished runner cycle. */
export interface RunnerResult {
  /** The runner id. */
  id: string;
  /**
   * Failed when a step failed without `continue_on_error`; stopped when a stop was asked for
   * (the run's signal) before its steps, or a `for_each`'s items, had all started, and nothing
   * failed of what did start.
   */
  status: "succeeded" | "failed" | "stopped";
  /** Which cycle of the runner this was, from 1. */
  cycle: number;
  /** When it started (ISO 8601). */
  started_at: string;
  /** How long it took. */
  duration_ms: number;
  /** Its top-level steps. */
  steps: StepResult[];
}

/** How far a `for_each` has come, for progress displays. */
export interface Progress {
  /** The runner. */
  runner: string;
  /** The `for_each` step. */
  step: string;
  /** Items finished (succeeded, failed or skipped). */
  done: number;
  /** Items that failed. */
  failed: number;
  /** Items in all. */
  total: number;
  /** Milliseconds since the step started. */
  elapsed_ms: number;
}

/** Options for one runner cycle. */
export interface RunOptions {
  /** Stops the cycle: no new step or item starts; items in flight finish. */
  signal?: AbortSignal | undefined;
  /** Called as `for_each` items finish (at most every 200 ms, and at the end). */
  onProgress?: ((progress: Progress) => void) | undefined;
  /** Called when each top-level step of the cycle has finished. */
  onStep?: ((step: StepResult) => void) | undefined;
}
