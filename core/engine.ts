import { getLogger } from "@logtape/logtape";
import type { SourceLocation } from "./errors.ts";
import type { ConfigPath } from "./config/_yaml.ts";
import type { Plan, PlannedRunner, PlannedStep } from "./plan.ts";
import type { PipeOutcome, PluginHandle, WireError } from "./registry.ts";
import type { StepState } from "./types.ts";
import { RawJson } from "./raw_json.ts";
import { states, takeRawParams } from "./_step_data.ts";

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
  /** Failed when a step failed without `continue_on_error`. */
  status: "succeeded" | "failed";
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
  locate(path: ConfigPath): SourceLocation;
}

const MAX_FAILURES_KEPT = 100;

const log = getLogger(["otai", "engine"]);
let nextScopeId = 1;

interface Frame {
  /** Frozen enclosing scopes, outermost first: the step states pipes are sent. */
  scopes: { id: number; states: Record<string, unknown> }[];
  /** All enclosing step states merged, for expressions. */
  outer: Record<string, StepState>;
  /** Variables from loops: item, index. */
  vars: Record<string, unknown>;
}

/**
 * Runs a plan: creates services in their plugins' sandboxes, routes service calls between
 * sandboxes and runs runners step by step.
 */
export class Engine {
  #plan: Plan;
  #options: EngineOptions;
  #services = new Map<string, { plugin: PluginHandle; failed?: string }>();
  #env = new Map<PluginHandle, Record<string, string>>();

  /** Creates an engine for a plan. */
  constructor(plan: Plan, options: EngineOptions) {
    this.#plan = plan;
    this.#options = options;
  }

  /** Creates every service; a failed one fails only the steps that inject it. */
  async start(): Promise<void> {
    for (const s of this.#plan.services) {
      const plugin = s.entry.plugin;
      const failedDep = Object.values(s.injects).map((d) => this.#services.get(d)).find((d) =>
        d?.failed
      );
      if (failedDep) {
        this.#services.set(s.id, { plugin, failed: `a service it injects failed` });
        continue;
      }
      try {
        await plugin.runtime.create(s.id, s.entry.name, s.params, s.injects);
        this.#services.set(s.id, { plugin });
      } catch (e) {
        const failed = `service "${s.id}" (${s.entry.key}) could not be created: ` +
          this.#explain(plugin, e as WireError);
        log.error("{failed}", { failed });
        this.#services.set(s.id, { plugin, failed });
      }
    }
  }

  /** Services that could not be created, by id, with the reason. */
  failedServices(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, s] of this.#services) if (s.failed) out.set(id, s.failed);
    return out;
  }

  /** Routes a service call from one sandbox to the sandbox that holds the service. */
  async callService(call: { instance: string; method: string; args: unknown[] }): Promise<unknown> {
    const s = this.#services.get(call.instance);
    if (!s) throw new Error(`no service "${call.instance}"`);
    if (s.failed) throw new Error(s.failed);
    try {
      return await s.plugin.runtime.invoke(call.instance, call.method, call.args);
    } catch (e) {
      throw new Error(
        `service "${call.instance}" failed in ${call.method}(): ` +
          this.#explain(s.plugin, e as WireError),
      );
    }
  }

  /** Runs one cycle of a runner. */
  async runRunner(
    runner: PlannedRunner,
    cycle: number,
    options: RunOptions = {},
  ): Promise<RunnerResult> {
    const { signal } = options;
    const started = Date.now();
    const steps: Record<string, StepState> = {};
    const results: StepResult[] = [];
    const frame: Frame = { scopes: [], outer: {}, vars: {} };
    let status: RunnerResult["status"] = "succeeded";
    for (const step of runner.steps) {
      if (signal?.aborted) break;
      const t0 = Date.now();
      const state = await this.#runStep(runner, step, steps, frame, options);
      steps[step.id] = state;
      const result: StepResult = {
        id: step.id,
        ...state,
        started_at: new Date(t0).toISOString(),
        duration_ms: Date.now() - t0,
      };
      results.push(result);
      options.onStep?.(result);
      if (state.status === "failed") {
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
    const scope = {
      steps: frame.scopes.length ? { ...frame.outer, ...local } : local,
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
      const entry = step.pipe!;
      for (const dep of Object.values(step.injects)) {
        const s = this.#services.get(dep);
        if (s?.failed) return { status: "failed", error: s.failed };
      }
      const params = step.params.render(scope);
      const rawParams = takeRawParams(params, step.params.refs);
      for (const s of frame.scopes) entry.plugin.runtime.defineScope(s.id, s.states);
      const outcome: PipeOutcome = await entry.plugin.runtime.run({
        pipe: entry.name,
        params,
        ...(rawParams.length ? { rawParams } : {}),
        scopes: frame.scopes.map((s) => s.id),
        steps: states(local),
        services: step.injects,
        step: { id: step.id, runner: runner.id },
      }, step.timeoutMs);
      if (outcome.status === "succeeded") return { status: "succeeded", data: outcome.data };
      if (outcome.status === "skipped") return { status: "skipped", reason: outcome.reason };
      return { status: "failed", error: this.#explain(entry.plugin, outcome.error, step) };
    } catch (e) {
      return { status: "failed", error: (e as Error).message };
    }
  }

  async #runLoop(
    runner: PlannedRunner,
    step: PlannedStep,
    local: Record<string, StepState>,
    frame: Frame,
    scope: Record<string, unknown>,
    options: RunOptions,
  ): Promise<StepState> {
    const { signal, onProgress } = options;
    let items = step.forEach!.render(scope);
    if (items instanceof RawJson) items = items.value;
    if (!Array.isArray(items)) {
      throw new TypeError(`for_each yielded ${items === null ? "null" : typeof items}, not a list`);
    }
    const frozen = { id: nextScopeId++, states: states(local) };
    const inner: Frame = {
      scopes: [...frame.scopes, frozen],
      outer: { ...frame.outer, ...local },
      vars: {},
    };
    const data = { succeeded: 0, failed: 0, skipped: 0, failures: [] as unknown[] };
    let next = 0;
    const started = Date.now();
    let reported = 0;
    const progress = (force: boolean) => {
      if (!onProgress || (!force && Date.now() - reported < 200)) return;
      reported = Date.now();
      onProgress({
        runner: runner.id,
        step: step.id,
        done: data.succeeded + data.failed + data.skipped,
        failed: data.failed,
        total: items.length,
        elapsed_ms: Date.now() - started,
      });
    };
    const worker = async () => {
      while (next < items.length && !signal?.aborted) {
        const index = next++;
        const item = items[index];
        const itemFrame: Frame = { ...inner, vars: { ...frame.vars, item, index } };
        const itemSteps: Record<string, StepState> = {};
        let status: "succeeded" | "failed" | "skipped" = "skipped";
        for (const sub of step.steps) {
          const state = await this.#runStep(runner, sub, itemSteps, itemFrame, options);
          itemSteps[sub.id] = state;
          if (state.status === "succeeded" && status === "skipped") status = "succeeded";
          if (state.status === "failed") {
            if (data.failures.length < MAX_FAILURES_KEPT) {
              data.failures.push({ item, step: sub.id, error: state.error });
            }
            if (!sub.continueOnError) {
              status = "failed";
              break;
            }
          }
        }
        data[status]++;
        progress(false);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(step.concurrency, items.length) }, worker));
    } finally {
      for (const p of this.#pluginsIn(step.steps)) p.runtime.dropScope(frozen.id);
    }
    progress(true);
    const notStarted = items.length - (data.succeeded + data.failed + data.skipped);
    if (notStarted > 0) {
      return {
        status: "failed",
        data: { ...data, not_started: notStarted },
        error: `stopped before ${notStarted} of ${items.length} items started`,
      };
    }
    if (data.failed) {
      return { status: "failed", data, error: `${data.failed} of ${items.length} items failed` };
    }
    return { status: "succeeded", data };
  }

  #pluginsIn(steps: PlannedStep[]): Set<PluginHandle> {
    const out = new Set<PluginHandle>();
    for (const s of steps) {
      if (s.pipe) out.add(s.pipe.plugin);
      for (const p of this.#pluginsIn(s.steps)) out.add(p);
    }
    return out;
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

  /** A plugin error as a user should read it: permission denials name the grant to change. */
  #explain(plugin: PluginHandle, error: WireError, step?: PlannedStep): string {
    const denied = /Requires (\w+) access(?: to "([^"]*)")?/.exec(error.message);
    if (error.name === "NotCapable" || error.name === "PermissionDenied" || denied) {
      const kind = denied?.[1] ?? "a";
      const what = denied?.[2] ? ` to "${denied[2]}"` : "";
      const at = this.#options.locate(["plugins", plugin.index]);
      return `plugin "${plugin.prefix}" was denied ${kind} access${what}; if it needs it, ` +
        `grant it under plugins[${plugin.index}].permissions.${kind} in ${at.file}:${at.line}`;
    }
    if (step && error.message.startsWith("invalid params")) {
      const at = this.#options.locate([...step.path, "params"]);
      return `${error.message} (${at.file}:${at.line})`;
    }
    return error.message;
  }
}
