import type { ExpressionScope } from "../expression.ts";
import type { PlannedStep } from "../plan.ts";
import type { StepState } from "../types.ts";
import { type Frame, type LoopHost, runForEach } from "./_for_each.ts";
import type { Distribute } from "./distribute.ts";

/** The loop to distribute, as the engine's own loop would run it. */
export interface LoopAt {
  /** Runs sub-steps, signal and progress, as for a local loop. */
  host: LoopHost;
  /** The `for_each` step. */
  step: PlannedStep;
  /** The steps before it. */
  local: Record<string, StepState>;
  /** Its frame. */
  frame: Frame;
  /** Its scope. */
  scope: ExpressionScope;
}

/** The run around a distributed loop. */
export interface DistributedRun {
  /** The runner id. */
  runner: string;
  /** The runner's params. */
  params: Record<string, unknown>;
  /** Which cycle. */
  cycle: number;
  /** Redacts secrets from a remote item's error. */
  redact: (text: string) => string;
  /** Told each failure of a remote item, as a local sub-step's failure is told. */
  failed: (index: number, step: string, error: string) => void;
}

/**
 * Runs a `for_each` whose items run elsewhere: the items are rendered and counted here, as for
 * a local loop, and each is handed to the loop the hook opened (disposed of when all are done).
 */
export async function runDistributed(
  distribute: Distribute,
  at: LoopAt,
  run: DistributedRun,
): Promise<StepState> {
  await using remote = await distribute({
    runner: run.runner,
    step: at.step.id,
    steps: readOnly(at.step, at.local),
    params: run.params,
    cycle: run.cycle,
    signal: at.host.signal,
  });
  const host: LoopHost = {
    ...at.host,
    async remote(item, index) {
      const outcome = await remote.run(item, index);
      for (const f of outcome?.failures ?? []) {
        f.error = run.redact(f.error ?? "");
        run.failed(index, f.step, f.error);
      }
      return outcome;
    },
  };
  return await runForEach(host, at.step, at.local, at.frame, at.scope);
}

const STEP_REF =
  /\bsteps\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\])?/g;

/**
 * What the sub-steps of a loop can read of the steps before it, for its jobs: the data of the
 * steps their expressions name (`steps.x`), only the status, error and reason of the others
 * (all a pipe's `ctx.steps` holds). An expression that reads `steps` as a whole gets
 * everything.
 */
function readOnly(loop: PlannedStep, local: Record<string, StepState>): Record<string, StepState> {
  const sources = (loop.collect?.expressions ?? []).map((x) => x.source);
  if (!sourcesOf(loop.steps, sources)) return local;
  const named = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(STEP_REF)) {
      const id = m[1] ?? m[2];
      if (id === undefined) return local;
      named.add(id);
    }
  }
  return Object.fromEntries(
    Object.entries(local).map(([id, s]) => [id, named.has(id) ? s : withoutData(s)]),
  );
}

/**
 * Adds the expression sources of the steps (and theirs), their `if:` among them, to `out`;
 * false when a condition's source is unknown.
 */
function sourcesOf(steps: PlannedStep[], out: string[]): boolean {
  for (const s of steps) {
    if (s.condition && s.conditionSource === undefined) return false;
    if (s.conditionSource !== undefined) out.push(s.conditionSource);
    for (const v of [s.params, s.collect, s.forEach]) {
      for (const x of v?.expressions ?? []) out.push(x.source);
    }
    if (!sourcesOf(s.steps, out)) return false;
  }
  return true;
}

function withoutData(s: StepState): StepState {
  const out: StepState = { status: s.status };
  if (s.error !== undefined) out.error = s.error;
  if (s.reason !== undefined) out.reason = s.reason;
  return out;
}
