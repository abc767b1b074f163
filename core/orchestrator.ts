import { Cron } from "croner";
import { getLogger } from "@logtape/logtape";
import type { Engine, Progress, RunnerResult } from "./engine.ts";
import type { PlannedRunner } from "./plan.ts";

const log = getLogger(["otai", "orchestrator"]);

/** Options for {@linkcode orchestrate}. */
export interface OrchestrateOptions {
  /** Stops scheduled runners (the current cycle finishes first). */
  signal?: AbortSignal;
  /** Called after every finished cycle. */
  onCycle?: (result: RunnerResult) => void;
  /** Called as `for_each` items finish. */
  onProgress?: (progress: Progress) => void;
}

/**
 * Runs every runner: once when it has no schedule, else every `interval` (measured from the end
 * of the last cycle, one cycle at a time) or on its `cron` pattern, until `signal` aborts.
 *
 * @returns The last result of each runner.
 */
export async function orchestrate(
  engine: Engine,
  runners: PlannedRunner[],
  options: OrchestrateOptions = {},
): Promise<RunnerResult[]> {
  const { signal } = options;
  return await Promise.all(runners.map(async (runner) => {
    let cycle = 0;
    let last: RunnerResult;
    do {
      last = await engine.runRunner(runner, ++cycle, { signal, onProgress: options.onProgress });
      options.onCycle?.(last);
      if (runner.intervalMs === undefined && runner.cron === undefined) break;
      const wait = runner.intervalMs ?? msUntilNext(runner.cron!);
      log.debug("Runner {runner} sleeps {ms} ms", { runner: runner.id, ms: wait });
      await sleep(wait, signal);
    } while (!signal?.aborted);
    return last;
  }));
}

function msUntilNext(pattern: string): number {
  const next = new Cron(pattern, { paused: true }).nextRun();
  return next ? Math.max(0, next.getTime() - Date.now()) : 2 ** 31 - 1;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.min(ms, 2 ** 31 - 1));
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
