/**
 * Offloading a `for_each` into its plugin's sandbox: when every sub-step is a pipe of one plugin
 * and takes its params from the item, its index, earlier sub-steps' data and values fixed for
 * the loop, the whole loop crosses the boundary once and runs where the plugin's code is. Step
 * data then never leaves the sandbox, and only counts and failures come back.
 *
 * @module
 */
import type { LoopHole, LoopInput, LoopSource, LoopStep, StepStates } from "../contract.ts";
import type { ExpressionScope } from "../expression.ts";
import type { PlannedStep } from "../plan.ts";
import type { PluginHandle } from "../registry.ts";
import type { StepState } from "../types.ts";
import type { Locate } from "./_explain.ts";
import { explainError } from "./_explain.ts";
import { paramRefs } from "./_step_data.ts";

/** A `for_each` that can run inside one sandbox: its plugin and its sub-steps' holes. */
export interface Offload {
  /** The plugin all sub-steps belong to. */
  plugin: PluginHandle;
  /** Per sub-step: the planned step, and its params filled in per item. */
  steps: { step: PlannedStep; holes: LoopHole[]; omitted: ReadonlySet<string> }[];
}

const ITEM = /^\s*item((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;
const INDEX = /^\s*index\s*$/;
const STEP_DATA =
  /^\s*steps\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*data((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;
const PER_ITEM = /\b(item|index)\b/;
const PROGRESS_EVERY_MS = 200;
const cache = new WeakMap<PlannedStep, Offload | null>();

/**
 * Whether a `for_each` can run inside its plugin's sandbox, and how.
 *
 * @param step The `for_each` step.
 * @returns The offload, or undefined when the engine must run it step by step.
 */
export function offloadOf(step: PlannedStep): Offload | undefined {
  let found = cache.get(step);
  if (found === undefined) {
    found = analyse(step) ?? null;
    cache.set(step, found);
  }
  return found ?? undefined;
}

function analyse(loop: PlannedStep): Offload | undefined {
  const plugin = loop.steps[0]?.pipe?.plugin;
  // `collect` reads each item's step data here, so the data has to come back.
  if (!plugin?.runtime.runLoop || loop.collect) return undefined;
  const ids = new Set(loop.steps.map((s) => s.id));
  const earlier = new Set<string>();
  const steps: Offload["steps"] = [];
  for (const step of loop.steps) {
    if (step.pipe?.plugin !== plugin || step.condition || step.steps.length) return undefined;
    const holes: LoopHole[] = [];
    const omitted = new Set<string>();
    for (const x of step.params.expressions) {
      const source = x.whole ? holeSource(x.source, earlier) : undefined;
      if (source) {
        holes.push({ at: x.path, expression: x.source.trim(), source });
        omitted.add(x.source);
      } else if (perItem(x.source, ids)) return undefined;
    }
    steps.push({ step, holes, omitted });
    earlier.add(step.id);
  }
  return steps.length ? { plugin, steps } : undefined;
}

function holeSource(source: string, earlier: ReadonlySet<string>): LoopSource | undefined {
  const path = (p: string) => p.split(".").map((k) => k.trim()).filter(Boolean);
  const item = ITEM.exec(source);
  if (item) return { from: "item", path: path(item[1]!) };
  if (INDEX.test(source)) return { from: "index" };
  const data = STEP_DATA.exec(source);
  if (data && earlier.has(data[1]!)) return { from: "step", step: data[1]!, path: path(data[2]!) };
  return undefined;
}

/** Whether an expression may differ from item to item (then it cannot be rendered once). */
function perItem(source: string, local: ReadonlySet<string>): boolean {
  if (PER_ITEM.test(source)) return true;
  for (const m of source.matchAll(/\bsteps\b(\s*\.\s*([A-Za-z_][A-Za-z0-9_]*))?/g)) {
    if (m[2] === undefined || local.has(m[2])) return true;
  }
  return false;
}

/** What the engine gives an offloaded loop. */
export interface OffloadContext {
  /** The `for_each` step. */
  loop: PlannedStep;
  /** Its runner. */
  runner: string;
  /** The scope of the `for_each` step (its `steps` are what its sub-steps see around them). */
  scope: ExpressionScope & { steps: Record<string, StepState> };
  /** The plugin's env, for expressions rendered once. */
  env: Record<string, string>;
  /** Enclosing step states of the sub-steps, outermost first. */
  layers: StepStates[];
  /** Where config paths sit. */
  locate: Locate;
  /** Redacts secrets from a failure's error. */
  redact: (text: string) => string;
  /** Stops the loop. */
  signal?: AbortSignal | undefined;
  /** Progress, as `runForEach` reports it. */
  progress?: ((done: number, failed: number, total: number) => void) | undefined;
  /** Told each failure the loop reports (the first 100), as the loop ends. */
  failed?: (index: number, step: string, error: string) => void;
}

/** Runs an offloaded `for_each`; its state is the one the engine's own loop would give. */
export async function runOffloaded(off: Offload, c: OffloadContext): Promise<StepState> {
  const { loop, scope } = c;
  const refs = paramRefs(loop.forEach!.fieldRefs, scope.steps);
  const items = refs.length ? null : loop.forEach!.render(scope);
  if (items !== null && !Array.isArray(items)) {
    throw new TypeError(`for_each yielded ${items === null ? "null" : typeof items}, not a list`);
  }
  const itemScope = { ...scope, env: c.env };
  const steps: LoopStep[] = off.steps.map(({ step, holes, omitted }) => ({
    id: step.id,
    pipe: step.pipe!.name,
    params: step.params.render(itemScope, { omit: (s) => omitted.has(s) }),
    holes,
    services: step.injects,
    timeoutMs: step.timeoutMs,
    continueOnError: step.continueOnError,
  }));
  const input: LoopInput = {
    items,
    ...(refs[0] ? { itemsRef: refs[0] } : {}),
    base: 0,
    concurrency: loop.concurrency,
    steps,
    layers: c.layers,
    step: { id: loop.id, runner: c.runner },
  };
  const progress = c.progress;
  let reported = 0;
  const r = await off.plugin.runtime.runLoop!(input, {
    signal: c.signal,
    ...(progress
      ? {
        progress: (n, total) => {
          if (Date.now() - reported < PROGRESS_EVERY_MS) return;
          reported = Date.now();
          progress(n.succeeded + n.failed + n.skipped, n.failed, total);
        },
      }
      : {}),
  });
  progress?.(r.succeeded + r.failed + r.skipped, r.failed, r.total);
  const all = items ?? (refs[0]!.data as Record<string, unknown[]>)[refs[0]!.field]!;
  const failures = r.failures.map((f) => {
    const sub = off.steps.find((s) => s.step.id === f.step)?.step;
    const error = c.redact(explainError(off.plugin, f.error, c.locate, sub?.path));
    c.failed?.(f.index, f.step, error);
    return { item: all[f.index], step: f.step, error };
  });
  const data = { succeeded: r.succeeded, failed: r.failed, skipped: r.skipped, failures };
  if (r.notStarted > 0) {
    return {
      status: "failed",
      data: { ...data, not_started: r.notStarted },
      error: `stopped before ${r.notStarted} of ${r.total} items started`,
    };
  }
  if (r.failed) return { status: "failed", data, error: `${r.failed} of ${r.total} items failed` };
  return { status: "succeeded", data };
}
