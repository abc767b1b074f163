import type { StepStates } from "../contract.ts";
import type { ExpressionScope } from "../expression.ts";
import type { PlannedStep } from "../plan.ts";
import type { StepState } from "../types.ts";
import { states } from "./_step_data.ts";

const MAX_FAILURES_KEPT = 100;
const PROGRESS_EVERY_MS = 200;

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
  /** Stops the loop: no new item starts. */
  signal?: AbortSignal | undefined;
  /** Called as items finish (at most every 200 ms, and at the end). */
  progress?: ((done: number, failed: number, total: number, elapsedMs: number) => void) | undefined;
}

/**
 * Runs a `for_each`: its sub-steps once per item, `concurrency` items at a time. One item's
 * failure fails that item only; results of finished items are not kept (memory stays flat).
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
  const inner: Frame = {
    layers: [...frame.layers, states(local)],
    outer: { ...frame.outer, ...local },
    vars: {},
  };
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
      const status = await runItem(
        host,
        step,
        item,
        {
          ...inner,
          vars: { ...frame.vars, item, index },
        },
        data.failures,
        collected && ((local) => {
          const value = collectOf(step, scope, inner, local, item, index);
          if (value !== null && value !== undefined) collected.push(value);
        }),
      );
      data[status]++;
      progress(false);
    }
  };
  await Promise.all(Array.from({ length: Math.min(step.concurrency, items.length) }, lane));
  progress(true);
  return loopOutcome(data, items.length);
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

/** Runs the sub-steps for one item; records its failure, if any. */
async function runItem(
  host: LoopHost,
  step: PlannedStep,
  item: unknown,
  frame: Frame,
  failures: unknown[],
  collect?: (local: Record<string, StepState>) => void,
): Promise<"succeeded" | "failed" | "skipped"> {
  const local: Record<string, StepState> = {};
  let status: "succeeded" | "failed" | "skipped" = "skipped";
  const fail = (at: string, error: string | undefined) => {
    if (failures.length < MAX_FAILURES_KEPT) failures.push({ item, step: at, error });
  };
  for (const sub of step.steps) {
    const state = await host.runStep(sub, local, frame);
    local[sub.id] = state;
    if (state.status === "succeeded" && status === "skipped") status = "succeeded";
    if (state.status !== "failed") continue;
    fail(sub.id, state.error);
    if (!sub.continueOnError) return "failed";
  }
  try {
    collect?.(local);
  } catch (e) {
    fail("collect", `collect: ${(e as Error).message}`);
    return "failed";
  }
  return status;
}

/** The step data of a `for_each`. */
interface LoopData {
  succeeded: number;
  failed: number;
  skipped: number;
  failures: unknown[];
  collected?: unknown[];
}

/** Evaluates `collect` for an item that did not fail, over the item and its steps. */
function collectOf(
  step: PlannedStep,
  scope: ExpressionScope,
  inner: Frame,
  local: Record<string, StepState>,
  item: unknown,
  index: number,
): unknown {
  return step.collect!.render({ ...scope, steps: { ...inner.outer, ...local }, item, index });
}
