import { getLogger } from "@logtape/logtape";
import type { PipeOutcome } from "../contract.ts";
import type { ExpressionScope, FieldRef } from "../expression.ts";
import type { PlannedRunner, PlannedStep } from "../plan.ts";
import type { StepState } from "../types.ts";
import type { PluginHandle } from "../registry.ts";
import { explainError, type Locate } from "./_explain.ts";
import { type Frame, runForEach } from "./_for_each.ts";
import { offloadOf, runOffloaded } from "./_offload.ts";
import { paramRefs, states } from "./_step_data.ts";
import type { ServiceHost } from "./services.ts";

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
}

const log = getLogger(["otai", "engine"]);

/** Runs the runners of a plan step by step, each pipe in its plugin's sandbox. */
export class Engine {
  #options: EngineOptions;
  #env = new Map<PluginHandle, Record<string, string>>();

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
      const state = this.#redacted(await this.#runStep(runner, step, steps, frame, options));
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
    return {
      id: runner.id,
      status,
      cycle,
      started_at: new Date(started).toISOString(),
      duration_ms: Date.now() - started,
      steps: results,
    };
  }

  async #runStep(
    runner: PlannedRunner,
    step: PlannedStep,
    local: Record<string, StepState>,
    frame: Frame,
    options: RunOptions,
  ): Promise<StepState> {
    const plugin = step.pipe?.plugin;
    const visible = frame.layers.length ? { ...frame.outer, ...local } : local;
    const scope = {
      steps: visible,
      params: runner.params,
      env: plugin ? this.#envOf(plugin) : {},
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
    options: RunOptions,
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
    const off = offloadOf(step);
    if (off && this.#servicesUp(step)) {
      return await runOffloaded(off, {
        loop: step,
        runner: runner.id,
        scope,
        env: this.#envOf(off.plugin),
        layers: [...frame.layers, states(local)],
        locate: this.#options.locate,
        redact: this.#options.redact ?? ((t) => t),
        signal: options.signal,
        progress,
      });
    }
    const host = {
      runStep: async (sub: PlannedStep, subLocal: Record<string, StepState>, subFrame: Frame) =>
        this.#redacted(await this.#runStep(runner, sub, subLocal, subFrame, options)),
      signal: options.signal,
      progress,
    };
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

  #redacted(state: StepState): StepState {
    const redact = this.#options.redact;
    if (!redact) return state;
    if (state.error !== undefined) state.error = redact(state.error);
    if (state.reason !== undefined) state.reason = redact(state.reason);
    return state;
  }

  #envOf(plugin: PluginHandle): Record<string, string> {
    let env = this.#env.get(plugin);
    if (!env) {
      const granted = plugin.effective.env;
      env = granted === true ? Deno.env.toObject() : Object.fromEntries(
        (granted || []).flatMap((n) => {
          const v = Deno.env.get(n);
          return v === undefined ? [] : [[n, v]];
        }),
      );
      this.#env.set(plugin, env);
    }
    return env;
  }
}

/** A `for_each` cut short by a stop, with nothing failed of what had started. */
function stoppedOnly(state: StepState): boolean {
  const data = (state as { data?: { not_started?: unknown; failed?: unknown } }).data;
  return typeof data?.not_started === "number" && data.not_started > 0 && data.failed === 0;
}
