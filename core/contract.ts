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
  /** Stops the plugin's code. */
  terminate(reason?: string): void;
}
