import { getLogger } from "@logtape/logtape";
import type { PipeOutcome } from "../contract.ts";
import type { ExpressionScope, FieldRef } from "../expression.ts";
import type { PlannedRunner, PlannedStep } from "../plan.ts";
import type { StepState } from "../types.ts";
import type { OtaiEvent } from "../events.ts";
import { explainError, type Locate } from "./_explain.ts";
import { type Frame, innerFrame, runForEach, runLoopItem } from "./_for_each.ts";
import { runDistributed } from "./_distributed.ts";
import type { Distribute, ItemOutcome, ItemRequest } from "./distribute.ts";
import type { RunnerResult, RunOptions, StepResult } from "./results.ts";
import { offloadOf, runOffloaded } from "./_offload.ts";
import { paramRefs, redacted, states, stoppedOnly } from "./_step_data.ts";
import { envOf } from "./_scope_env.ts";
import type { ServiceHost } from "./services.ts";

export type { Progress, RunnerResult, RunOptions, StepResult } from "./results.ts";

/** Options for {@linkcode Engine}. */
export interface EngineOptions {
  /** Where a config path sits, for messages. */
  locate: Locate;
  /** The created services, for steps that inject them. */
  services: ServiceHost;
  /**
   * Redacts secrets from a step's error or reason before anything sees it (later steps' plugins
   * through `ctx.steps`, results, logs).
   */
  redact?: (text: string) => string;
  /** Told `runner.started`, `runner.finished` and `step.failed`; must not throw or wait. */
  onEvent?: (event: OtaiEvent) => void;
  /**
   * Runs the items of a `for_each` with `distribute: true` elsewhere (a queue); without it,
   * such a loop runs here like any other.
   */
  distribute?: Distribute | undefined;
}

/** The options of a cycle, with its number. */
type CycleOptions = RunOptions & { cycle: number };

const log = getLogger(["otai", "engine"]);

/** Runs the runners of a plan step by step, each pipe in its plugin's sandbox. */
export class Engine {
  #options: EngineOptions;

  /** Creates an engine; `options.services` holds the services its steps inject. */
  constructor(options: EngineOptions) {
    this.#options = options;
  }

  /** Runs one cycle of a runner. */
  async runRunner(
    runner: PlannedRunner,
    cycle: number,
    options: RunOptions = {},
  ): Promise<RunnerResult> {
    const started = Date.now();
    const at = (t: number) => new Date(t).toISOString();
    this.#options.onEvent?.({ type: "runner.started", runner: runner.id, cycle, at: at(started) });
    const opts: CycleOptions = { ...options, cycle };
    const steps: Record<string, StepState> = {};
    const results: StepResult[] = [];
    const frame: Frame = { layers: [], outer: {}, vars: {} };
    let status: RunnerResult["status"] = "succeeded";
    for (const step of runner.steps) {
      if (options.signal?.aborted) {
        status = "stopped";
        break;
      }
      const t0 = Date.now();
      const state = await this.#step(runner, step, steps, frame, opts);
      steps[step.id] = state;
      const result: StepResult = {
        id: step.id,
        ...state,
        started_at: new Date(t0).toISOString(),
        duration_ms: Date.now() - t0,
      };
      results.push(result);
      options.onStep?.(result);
      if (state.status !== "failed") continue;
      if (options.signal?.aborted && stoppedOnly(state)) {
        status = "stopped";
        break;
      }
      log.warn("Step {runner}.{step} failed: {error}", {
        runner: runner.id,
        step: step.id,
        error: state.error,
      });
      if (!step.continueOnError) {
        status = "failed";
        break;
      }
    }
    const duration_ms = Date.now() - started;
    this.#options.onEvent?.({
      type: "runner.finished",
      runner: runner.id,
      cycle,
      status,
      duration_ms,
      at: at(started + duration_ms),
    });
    return { id: runner.id, status, cycle, started_at: at(started), duration_ms, steps: results };
  }

  /**
   * Runs one item of a `for_each` of the runner's run list, as the loop itself would (its
   * sub-steps, then its `collect`), in the scope a scheduler sent: what a queue worker does
   * with a job.
   *
   * @param runner The runner.
   * @param request The step, the item and the scope around the loop.
   * @param options A signal that stops the item's steps from starting.
   * @returns What the item came to.
   * @throws {RangeError} When the runner has no `for_each` step of that id.
   */
  async runItem(
    runner: PlannedRunner,
    request: ItemRequest,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<ItemOutcome> {
    const step = runner.steps.find((s) => s.id === request.step && s.forEach);
    if (!step) {
      throw new RangeError(
        `Cannot run the item: runner "${runner.id}" has no for_each step ` +
          `"${request.step}"; run the same config as the scheduler`,
      );
    }
    const opts: CycleOptions = { cycle: request.cycle, signal: options.signal };
    const host = { runStep: this.#stepper(runner, opts), signal: options.signal };
    const { steps, params } = request;
    const scope = { steps, params, env: {}, runner: { id: runner.id } };
    const inner = innerFrame({ layers: [], outer: {}, vars: {} }, request.steps);
    return await runLoopItem(host, step, { scope, inner, vars: {} }, request.item, request.index);
  }

  #stepper(runner: PlannedRunner, options: CycleOptions) {
    return (sub: PlannedStep, local: Record<string, StepState>, frame: Frame) =>
      this.#step(runner, sub, local, frame, options);
  }

  /** Runs a step and redacts its error; a failure (not a stop) is told as `step.failed`. */
  async #step(
    runner: PlannedRunner,
    step: PlannedStep,
    local: Record<string, StepState>,
    frame: Frame,
    options: CycleOptions,
  ): Promise<StepState> {
    const state = redacted(
      await this.#runStep(runner, step, local, frame, options),
      this.#options.redact,
    );
    if (state.status === "failed" && !(options.signal?.aborted && stoppedOnly(state))) {
      const index = frame.vars.index;
      this.#failed(runner.id, options.cycle, step.id, state.error ?? "", index);
    }
    return state;
  }

  #failed(runner: string, cycle: number, step: string, error: string, index: unknown): void {
    this.#options.onEvent?.({
      type: "step.failed",
      runner,
      cycle,
      step,
      error,
      ...(typeof index === "number" ? { index } : {}),
      at: new Date().toISOString(),
    });
  }

  async #runStep(
    runner: PlannedRunner,
    step: PlannedStep,
    local: Record<string, StepState>,
    frame: Frame,
    options: CycleOptions,
  ): Promise<StepState> {
    const plugin = step.pipe?.plugin;
    const visible = frame.layers.length ? { ...frame.outer, ...local } : local;
    const scope = {
      steps: visible,
      params: runner.params,
      env: plugin ? envOf(plugin) : {},
      runner: { id: runner.id },
      ...frame.vars,
    };
    try {
      if (step.condition && !step.condition(scope)) {
        return { status: "skipped", reason: "condition is false" };
      }
      if (step.forEach) return await this.#runLoop(runner, step, local, frame, scope, options);
      return await this.#runPipe(runner, step, local, frame, scope);
    } catch (e) {
      return { status: "failed", error: (e as Error).message };
    }
  }

  /**
   * Runs a `for_each`: inside its plugin's sandbox when all of it can run there (see
   * `_offload.ts`), else item by item and step by step here.
   */
  async #runLoop(
    runner: PlannedRunner,
    step: PlannedStep,
    local: Record<string, StepState>,
    frame: Frame,
    scope: ExpressionScope & { steps: Record<string, StepState> },
    options: CycleOptions,
  ): Promise<StepState> {
    const started = Date.now();
    const progress = options.onProgress &&
      ((done: number, failed: number, total: number) =>
        options.onProgress!({
          runner: runner.id,
          step: step.id,
          done,
          failed,
          total,
          elapsed_ms: Date.now() - started,
        }));
    const host = { runStep: this.#stepper(runner, options), signal: options.signal, progress };
    const distribute = step.distribute && !frame.layers.length && this.#options.distribute;
    if (distribute) {
      return await runDistributed(distribute, { host, step, local, frame, scope }, {
        runner: runner.id,
        params: runner.params,
        cycle: options.cycle,
        redact: this.#options.redact ?? ((t) => t),
        failed: (index, sub, error) => this.#failed(runner.id, options.cycle, sub, error, index),
      });
    }
    const off = offloadOf(step);
    if (!step.distribute && off && this.#servicesUp(step)) {
      return await runOffloaded(off, {
        loop: step,
        runner: runner.id,
        scope,
        env: envOf(off.plugin),
        layers: [...frame.layers, states(local)],
        locate: this.#options.locate,
        redact: this.#options.redact ?? ((t) => t),
        signal: options.signal,
        progress,
        failed: (index, sub, error) => this.#failed(runner.id, options.cycle, sub, error, index),
      });
    }
    return await runForEach(host, step, local, frame, scope);
  }

  async #runPipe(
    runner: PlannedRunner,
    step: PlannedStep,
    local: Record<string, StepState>,
    frame: Frame,
    scope: ExpressionScope & { steps: Record<string, StepState> },
  ): Promise<StepState> {
    for (const dep of Object.values(step.injects)) {
      const failed = this.#options.services.failure(dep);
      if (failed) return { status: "failed", error: failed };
    }
    const visible = scope.steps;
    const refs = paramRefs(step.params.fieldRefs, visible);
    const held = (r: FieldRef) =>
      refs.some((p) => p.field === r.field && p.data === visible[r.step]?.data);
    const params = step.params.render(scope, refs.length ? { hold: held } : undefined);
    const entry = step.pipe!;
    const outcome: PipeOutcome = await entry.plugin.runtime.run({
      pipe: entry.name,
      params,
      ...(refs.length ? { refs } : {}),
      steps: [...frame.layers, states(local)],
      services: step.injects,
      step: { id: step.id, runner: runner.id },
    }, step.timeoutMs);
    if (outcome.status !== "failed") return outcome;
    const error = explainError(entry.plugin, outcome.error, this.#options.locate, step.path);
    return { status: "failed", error };
  }

  /** Whether every service the sub-steps of a `for_each` inject was created. */
  #servicesUp(loop: PlannedStep): boolean {
    return loop.steps.every((s) =>
      Object.values(s.injects).every((dep) => !this.#options.services.failure(dep))
    );
  }
}
