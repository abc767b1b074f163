/**
 * The host–plugin contract: every type that crosses the boundary between the engine and a
 * plugin's running code, in one vocabulary from end to end. A pipe's {@linkcode Outcome} is the
 * same in the guest, on the wire, in the engine and (with its error explained) in the results.
 * How a sandbox moves these across (frames, structured clones, JSON text) is its own business
 * and appears nowhere here.
 *
 * @module
 */
import type { PermissionName, StepState } from "./types.ts";
import type { OtaiEvent } from "./events.ts";

/** What a plugin registers: a pipe (a unit of work) or a service (a long-lived object). */
export type InjectableKind = "pipe" | "service";

/** How a plugin's code is confined: a Worker, a subprocess, or none (trusted plugins only). */
export type Isolation = "worker" | "process" | "none";

/** Effective Deno permissions of a sandbox, every kind spelled out. */
export type PermissionSet = Record<PermissionName, boolean | string[]>;

/** An error as it crosses a sandbox boundary. */
export interface WireError {
  /** The error class name, e.g. `NotCapable`, `TimeoutError`. */
  name: string;
  /** The message. */
  message: string;
  /** The stack inside the sandbox, when there was one. */
  stack?: string;
  /** The error's `cause`, when it had one (up to three levels). */
  cause?: WireError;
}

/** How a request to a plugin ended: a pipe run, a service creation or a method call. */
export type Outcome<T = unknown> =
  | { status: "succeeded"; data: T }
  | { status: "skipped"; reason: string }
  | { status: "failed"; error: WireError };

/** How a pipe run ended. */
export type PipeOutcome = Outcome;

/** Step states as a pipe sees them in `ctx.steps`: status, and error or reason, never data. */
export type StepStates = Record<string, Omit<StepState, "data">>;

/**
 * A param that is exactly another step's data field, handed over by reference: the runtime
 * passes the field on as cheaply as its transport allows (the host need not copy it).
 */
export interface ParamRef {
  /** Where in the params it goes. */
  path: readonly (string | number)[];
  /** The step data object that holds it. */
  data: object;
  /** The field of `data`. */
  field: string;
}

/** What the engine sends to run a pipe. */
export interface RunInput {
  /** The pipe name (without prefix). */
  pipe: string;
  /** Rendered params (`null` where a {@linkcode ParamRef} goes). */
  params: unknown;
  /** Params handed over by reference. */
  refs?: readonly ParamRef[];
  /**
   * The step states visible to the pipe, in layers, outermost first (a later layer wins). An
   * enclosing layer is the same object for every item of a `for_each`.
   */
  steps: readonly StepStates[];
  /** Injected name to service id. */
  services: Record<string, string>;
  /** The step and runner. */
  step: { id: string; runner: string };
}

/**
 * Where a param of a sub-step in an offloaded `for_each` comes from, item by item: the item (or
 * a path into it), its index, or a path into the data of an earlier sub-step of the same item.
 */
export type LoopSource =
  | { from: "item"; path: readonly string[] }
  | { from: "index" }
  | { from: "step"; step: string; path: readonly string[] };

/** A param of a sub-step filled in per item: where it goes, and where it comes from. */
export interface LoopHole {
  /** Where in the params it goes. */
  at: readonly (string | number)[];
  /** The expression as written, for messages. */
  expression: string;
  /** Where its value comes from. */
  source: LoopSource;
}

/** One sub-step of an offloaded `for_each`, ready to run item by item inside the sandbox. */
export interface LoopStep {
  /** The step id. */
  id: string;
  /** The pipe name (without prefix). */
  pipe: string;
  /** Params the same for every item (rendered once), `null` where a hole goes. */
  params: unknown;
  /** Params filled in per item. */
  holes: readonly LoopHole[];
  /** Injected name to service id. */
  services: Record<string, string>;
  /** How long the pipe may take for one item. */
  timeoutMs: number;
  /** Whether the item goes on to the next sub-step when this one fails. */
  continueOnError: boolean;
}

/**
 * A whole `for_each` whose sub-steps all run in one plugin and take their params from the item,
 * its index, earlier sub-steps and values fixed for the loop: the runtime runs it item by item
 * where the plugin's code is, and only counts and failures come back.
 */
export interface LoopInput {
  /** The items (`null` when `itemsRef` hands them over by reference). */
  items: readonly unknown[] | null;
  /** The items, as another step's data field handed over by reference. */
  itemsRef?: ParamRef;
  /** Index of the first item (items before it ran earlier). */
  base: number;
  /** How many items run at once. */
  concurrency: number;
  /** The sub-steps, in order. */
  steps: readonly LoopStep[];
  /** Enclosing step states, outermost first, as `ctx.steps` shows them. */
  layers: readonly StepStates[];
  /** The `for_each` step and its runner. */
  step: { id: string; runner: string };
}

/** A sub-step failure of one item of an offloaded loop. */
export interface LoopFailure {
  /** The item's index. */
  index: number;
  /** The sub-step id. */
  step: string;
  /** Its error. */
  error: WireError;
}

/** Where an offloaded loop has come, cumulative. */
export interface LoopCounts {
  /** Items whose sub-steps ran and one at least succeeded. */
  succeeded: number;
  /** Items with a failed sub-step. */
  failed: number;
  /** Items all of whose sub-steps were skipped. */
  skipped: number;
}

/** How an offloaded loop ended. */
export interface LoopResult extends LoopCounts {
  /** Items in all. */
  total: number;
  /** The first failures (at most 100), in the order they happened. */
  failures: LoopFailure[];
  /** Items never started (the loop was stopped). */
  notStarted: number;
}

/** Callbacks of an offloaded loop. */
export interface LoopHooks {
  /** Stops the loop: no new item starts. */
  signal?: AbortSignal | undefined;
  /** Called as items finish, with the counts so far and the number of items. */
  progress?: (counts: LoopCounts, total: number) => void;
}

/** A problem with params, found by an injectable's schema. */
export interface ParamIssue {
  /** Where in the params. */
  path: (string | number)[];
  /** What is wrong. */
  message: string;
}

/** How a plugin's running code is doing, for results and `plugins list`. */
export interface PluginHealth {
  /** Running, or quarantined until a restart is allowed. */
  status: "running" | "quarantined";
  /** How many times its sandbox was restarted. */
  restarts: number;
  /** Why it last stopped. */
  lastError?: string;
}

/** A call from plugin code to a service, for the host to route. */
export interface ServiceCall {
  /** The target service id. */
  instance: string;
  /** The method name. */
  method: string;
  /** The arguments. */
  args: unknown[];
  /**
   * When the caller's time is up (ms since the epoch): a service that has not answered by then
   * fails the call, and its own plugin (not the caller's) is stopped if it does not recover.
   */
  deadline?: number;
}

/** Options for {@linkcode PluginRuntime.invoke}. */
export interface InvokeOptions {
  /** When the caller's time is up (ms since the epoch). */
  deadline?: number;
}

/**
 * Something the host asks of a plugin outside of steps, run in its sandbox: the manifest's
 * `start()`, `stop()` or `health()`, a service's close, or an event for its handler.
 */
export type LifecycleRequest =
  | { hook: "start" | "stop" | "health" }
  | { hook: "close"; instance: string }
  | { hook: "event"; event: OtaiEvent };

/** The engine's view of a running plugin, whatever confines it. */
export interface PluginRuntime {
  /** Why it stopped for good, or undefined while it can run. */
  readonly deadReason: string | undefined;
  /** Running or quarantined, restarts so far, and the last reason it stopped. */
  readonly health?: PluginHealth;
  /** Runs a pipe with a time limit. */
  run(input: RunInput, timeoutMs: number): Promise<PipeOutcome>;
  /** Creates a service instance; its injected services are routed by the host. */
  create(
    instance: string,
    name: string,
    params: unknown,
    services: Record<string, string>,
  ): Promise<void>;
  /** Calls a method of a service instance that lives in this plugin. */
  invoke(
    instance: string,
    method: string,
    args: unknown[],
    options?: InvokeOptions,
  ): Promise<unknown>;
  /** Validates params against an injectable's schema. */
  validate(kind: InjectableKind, name: string, params: unknown): Promise<ParamIssue[]>;
  /**
   * Runs a whole `for_each` inside the plugin's sandbox (see {@linkcode LoopInput}); absent
   * where the runtime cannot, and then the engine runs the loop step by step.
   */
  runLoop?(input: LoopInput, hooks?: LoopHooks): Promise<LoopResult>;
  /**
   * Runs a {@linkcode LifecycleRequest} in the plugin's sandbox within `timeoutMs`. Succeeded
   * (`health`: with the manifest's report as data, null without `health()`), skipped when there
   * was nothing to do (no handler, a sandbox no longer running at shutdown), or failed with the
   * plugin's error or a `TimeoutError`. Absent where the runtime has no lifecycle.
   */
  lifecycle?(request: LifecycleRequest, timeoutMs: number): Promise<Outcome>;
  /** Stops the plugin's code. */
  terminate(reason?: string): void;
}
