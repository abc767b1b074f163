import type { StepStates } from "../contract.ts";
import type { ExpressionScope } from "../expression.ts";
import type { PlannedStep } from "../plan.ts";
import type { StepState } from "../types.ts";
import { states } from "./_step_data.ts";
import type { ItemOutcome } from "./distribute.ts";

const MAX_FAILURES_KEPT = 100;
const PROGRESS_EVERY_MS = 200;
/** Items of a distributed loop in flight at once (each waits for its job). */
const REMOTE_LANES = 1000;

/** Where a step runs: the enclosing step states and loop variables. */
export interface Frame {
  /** Enclosing step states, outermost first, each the same object for every item of its loop. */
  layers: StepStates[];
  /** All enclosing step states merged, for expressions. */
  outer: Record<string, StepState>;
  /** Variables from loops: item, index. */
  vars: Record<string, unknown>;
}

/** What a `for_each` needs from the engine that runs it. */
export interface LoopHost {
  /** Runs one step of an item. */
  runStep(step: PlannedStep, local: Record<string, StepState>, frame: Frame): Promise<StepState>;
  /**
   * Runs a whole item elsewhere (a distributed loop) instead of step by step here; undefined
   * when the item was never started (a stop took it back).
   */
  remote?: ((item: unknown, index: number) => Promise<ItemOutcome | undefined>) | undefined;
  /** Stops the loop: no new item starts. */
  signal?: AbortSignal | undefined;
  /** Called as items finish (at most every 200 ms, and at the end). */
  progress?: ((done: number, failed: number, total: number, elapsedMs: number) => void) | undefined;
}

/**
 * Runs a `for_each`: its sub-steps once per item, `concurrency` items at a time (all at once,
 * up to 1000, when the items run elsewhere). One item's failure fails that item only; results
 * of finished items are not kept (memory stays flat).
 *
 * @returns The step's state: counts, and the first 100 failures.
 */
export async function runForEach(
  host: LoopHost,
  step: PlannedStep,
  local: Record<string, StepState>,
  frame: Frame,
  scope: ExpressionScope,
): Promise<StepState> {
  const items = step.forEach!.render(scope);
  if (!Array.isArray(items)) {
    throw new TypeError(`for_each yielded ${items === null ? "null" : typeof items}, not a list`);
  }
  const inner = innerFrame(frame, local);
  const data: LoopData = { succeeded: 0, failed: 0, skipped: 0, failures: [] };
  const collected: unknown[] | undefined = step.collect ? [] : undefined;
  if (collected) data.collected = collected;
  const started = Date.now();
  let reported = 0;
  const progress = (force: boolean) => {
    if (!host.progress || (!force && Date.now() - reported < PROGRESS_EVERY_MS)) return;
    reported = Date.now();
    host.progress(
      data.succeeded + data.failed + data.skipped,
      data.failed,
      items.length,
      Date.now() - started,
    );
  };
  let next = 0;
  const lane = async () => {
    while (next < items.length && !host.signal?.aborted) {
      const index = next++;
      const item = items[index];
      const outcome = host.remote
        ? await host.remote(item, index)
        : await runLoopItem(host, step, { scope, inner, vars: frame.vars }, item, index);
      if (!outcome) continue;
      data[outcome.status]++;
      for (const f of outcome.failures) {
        if (data.failures.length < MAX_FAILURES_KEPT) data.failures.push(f);
      }
      if (collected && outcome.collected !== undefined) collected.push(outcome.collected);
      progress(false);
    }
  };
  const lanes = host.remote ? REMOTE_LANES : step.concurrency;
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  progress(true);
  return loopOutcome(data, items.length);
}

/** The frame a `for_each`'s sub-steps run in, before the loop variables are set. */
export function innerFrame(frame: Frame, local: Record<string, StepState>): Frame {
  return {
    layers: [...frame.layers, states(local)],
    outer: { ...frame.outer, ...local },
    vars: {},
  };
}

/** Where an item runs: the loop's scope, its sub-steps' frame, and the enclosing loop variables. */
export interface ItemPlace {
  /** The scope of the `for_each` step. */
  scope: ExpressionScope;
  /** The frame of its sub-steps (see {@linkcode innerFrame}). */
  inner: Frame;
  /** Loop variables from enclosing loops. */
  vars: Record<string, unknown>;
}

/** A loop's step state from its counts: failed when an item failed or never started. */
function loopOutcome(data: LoopData, total: number): StepState {
  const notStarted = total - (data.succeeded + data.failed + data.skipped);
  if (notStarted > 0) {
    return {
      status: "failed",
      data: { ...data, not_started: notStarted },
      error: `stopped before ${notStarted} of ${total} items started`,
    };
  }
  if (data.failed) {
    return { status: "failed", data, error: `${data.failed} of ${total} items failed` };
  }
  return { status: "succeeded", data };
}

/**
 * Runs the sub-steps of a `for_each` for one item, then its `collect`: what every item of a
 * loop goes through, here or on a queue worker.
 */
export async function runLoopItem(
  host: LoopHost,
  step: PlannedStep,
  place: ItemPlace,
  item: unknown,
  index: number,
): Promise<ItemOutcome> {
  const frame: Frame = { ...place.inner, vars: { ...place.vars, item, index } };
  const local: Record<string, StepState> = {};
  const failures: ItemOutcome["failures"] = [];
  let status: ItemOutcome["status"] = "skipped";
  for (const sub of step.steps) {
    const state = await host.runStep(sub, local, frame);
    local[sub.id] = state;
    if (state.status === "succeeded" && status === "skipped") status = "succeeded";
    if (state.status !== "failed") continue;
    failures.push({ item, step: sub.id, error: state.error });
    if (!sub.continueOnError) return { status: "failed", failures };
  }
  if (!step.collect) return { status, failures };
  try {
    const value = step.collect.render({
      ...place.scope,
      steps: { ...place.inner.outer, ...local },
      item,
      index,
    });
    return value === null || value === undefined ? { status, failures } : {
      status,
      failures,
      collected: value,
    };
  } catch (e) {
    failures.push({ item, step: "collect", error: `collect: ${(e as Error).message}` });
    return { status: "failed", failures };
  }
}

/** The step data of a `for_each`. */
interface LoopData {
  succeeded: number;
  failed: number;
  skipped: number;
  failures: unknown[];
  collected?: unknown[];
}
