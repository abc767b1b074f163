import { Cron } from "croner";
import { getLogger } from "@logtape/logtape";
import type { Engine, Progress, RunnerResult } from "./engine/engine.ts";
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
    if (runner.repeat) return await repeat(engine, runner, options);
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

/**
 * Runs a runner's cycles back to back while its `repeat.while` holds for the cycle just finished,
 * up to `in_flight` at once. A new cycle starts when the one before has finished its first step,
 * so cycles in flight are a step apart and keep different sandboxes busy.
 *
 * @returns The first failed cycle, else the last one.
 */
async function repeat(
  engine: Engine,
  runner: PlannedRunner,
  options: OrchestrateOptions,
): Promise<RunnerResult> {
  const { signal } = options;
  const { inFlight } = runner.repeat!;
  const running = new Set<Promise<void>>();
  let cycle = 0;
  let stop = false;
  let last: RunnerResult | undefined;
  let failed: RunnerResult | undefined;
  while (!stop && !signal?.aborted) {
    let started!: () => void;
    const firstStep = new Promise<void>((resolve) => started = resolve);
    const done: Promise<void> = engine.runRunner(runner, ++cycle, {
      signal,
      onProgress: options.onProgress,
      onStep: () => started(),
    }).then((result) => {
      started();
      running.delete(done);
      options.onCycle?.(result);
      if (!last || result.cycle > last.cycle) last = result;
      if (result.status === "failed") failed ??= result;
      if (result.status === "failed" || !holds(runner, result)) stop = true;
    });
    running.add(done);
    await firstStep;
    while (running.size >= inFlight) await Promise.race(running);
  }
  await Promise.all(running);
  return failed ?? last!;
}

function holds(runner: PlannedRunner, result: RunnerResult): boolean {
  const steps = Object.fromEntries(result.steps.map((s) => [s.id, s]));
  try {
    return runner.repeat!.while({ steps, params: runner.params, runner: { id: runner.id } });
  } catch (e) {
    log.error("Runner {runner} stops repeating: {error}", {
      runner: runner.id,
      error: (e as Error).message,
    });
    return false;
  }
}

function msUntilNext(pattern: string): number {
  const next = new Cron(pattern, { paused: true }).nextRun();
  return next ? Math.max(0, next.getTime() - Date.now()) : Infinity;
}

/** Waits `ms` (longer than one timer can wait, by waiting again), or until `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let timer = arm();
    signal?.addEventListener("abort", done, { once: true });
    function arm() {
      return setTimeout(() => (Date.now() < until ? timer = arm() : done()), chunk());
    }
    function chunk() {
      return Math.max(0, Math.min(until - Date.now(), 2 ** 31 - 1));
    }
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
