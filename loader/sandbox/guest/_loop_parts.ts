/**
 * The pieces of a loop run inside the sandbox: the `ctx` a sub-step gets, how a step ends, how
 * its params are filled in per item.
 *
 * @module
 */
import type { LoopHole, StepStates, WireError } from "../../../core/contract.ts";
import type { PluginLogger, ServiceProxy } from "../../../core/types.ts";
import type { LoopMessage } from "../protocol.ts";
import { setAt, wire } from "./_wire.ts";

/** The services of a step that injects none. */
export const NO_SERVICES: Record<string, ServiceProxy> = Object.freeze({}) as Record<
  string,
  ServiceProxy
>;

/** A step that went on past its timeout and the grace after it: the sandbox must go. */
export class StuckStep extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "StuckStep";
  }
}

export class SkipSignal {
  constructor(readonly reason: string) {}
}

export type State = StepStates[string];

/** How a sub-step of one item ended. */
export interface StepEnd {
  state: State;
  data?: unknown;
  error?: WireError;
}

export function succeeded(value: unknown): StepEnd {
  return { state: { status: "succeeded" }, data: value ?? {} };
}

/** A pipe's throw as a step's end; a stuck step goes on up and ends the loop. */
export function ended(e: unknown): StepEnd {
  if (e instanceof SkipSignal) return { state: { status: "skipped", reason: String(e.reason) } };
  if (e instanceof StuckStep) throw e;
  const error = e instanceof TimedOut ? e.wire : wire(e);
  return { state: { status: "failed", error: error.message }, error };
}

/** `ctx` of a sub-step: fields a pipe reads at once, and `signal` and `steps` made on demand. */
export class LoopContext {
  params: Record<string, unknown>;
  services: Record<string, ServiceProxy> = NO_SERVICES;
  step: { id: string; runner: string };
  log!: PluginLogger;
  running: Running;
  #states: StepStates;
  #outer: StepStates;

  constructor(
    params: unknown,
    states: StepStates,
    outer: StepStates,
    step: LoopMessage["steps"][number],
    runner: string,
  ) {
    this.params = params as Record<string, unknown>;
    this.step = { id: step.id, runner };
    this.#states = states;
    this.#outer = outer;
    this.running = { deadline: Date.now() + step.timeoutMs, timeoutMs: step.timeoutMs, fail() {} };
  }

  get signal(): AbortSignal {
    return (this.running.controller ??= new AbortController()).signal;
  }

  get steps(): StepStates {
    return { ...this.#outer, ...this.#states };
  }

  skip(reason = "skipped by the pipe"): never {
    throw new SkipSignal(reason);
  }
}

export interface Running {
  deadline: number;
  timeoutMs: number;
  controller?: AbortController;
  fail(e: unknown): void;
}

export class TimedOut extends Error {
  wire: WireError;
  constructor(timeoutMs: number) {
    super(`timed out after ${duration(timeoutMs)}`);
    this.wire = { name: "TimeoutError", message: this.message };
  }
}

/** A duration as the host words it (`formatMs`). */
export function duration(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)}s` : `${ms}ms`;
}

/**
 * For each hole, whether it is the last reader of its value's root (the item, or one step's
 * data): the last reader takes the value itself, earlier ones a copy, so that each pipe gets
 * a value of its own as it would across the boundary.
 */
export function lastReaders(holes: readonly (readonly LoopHole[])[]): boolean[][] {
  const seen = new Set<string>();
  const out = holes.map((h) => h.map(() => false));
  for (let k = holes.length - 1; k >= 0; k--) {
    for (let j = holes[k]!.length - 1; j >= 0; j--) {
      const s = holes[k]![j]!.source;
      const root = s.from === "step" ? `step:${s.step}` : s.from;
      if (!seen.has(root)) out[k]![j] = true;
      seen.add(root);
    }
  }
  return out;
}

export function fill(
  skeleton: unknown,
  holes: readonly LoopHole[],
  shared: readonly boolean[],
  item: unknown,
  index: number,
  data: Record<string, unknown>,
): unknown {
  let params = clonePlain(skeleton);
  for (let j = 0; j < holes.length; j++) {
    const hole = holes[j]!;
    const s = hole.source;
    let value: unknown;
    if (s.from === "index") value = index;
    else {
      let at: unknown;
      if (s.from === "item") at = item;
      else {
        if (!Object.hasOwn(data, s.step)) throw noKey(hole.expression, "data");
        at = data[s.step];
      }
      for (const key of s.path) {
        if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) {
          throw noKey(hole.expression, key);
        }
        at = (at as Record<string, unknown>)[key];
      }
      value = shared[j] || at === null || typeof at !== "object" ? at : structuredClone(at);
    }
    params = setAt(params, hole.at, value);
  }
  return params;
}

/** A copy of plain data (the params fixed for a loop: small, and already checked). */
export function clonePlain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(clonePlain);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = clonePlain((value as Record<string, unknown>)[key]);
    if (key === "__proto__") {
      Object.defineProperty(out, key, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = v;
  }
  return out;
}

export function noKey(expression: string, key: string): Error {
  return new EvalError(`cannot evaluate "${expression}": No such key: ${key}`);
}

/** Resolves after the event loop has run timers and incoming messages (no 4 ms clamp). */
export function macrotask(): Promise<void> {
  return new Promise<void>((resolve) => {
    // Closed at once, so that it never keeps a process alive.
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(0);
  });
}
