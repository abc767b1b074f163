/**
 * Messages between the host and a plugin sandbox. Both sides post arrays of messages, so many
 * calls made in one tick cross the boundary as one message. Requests end with a `done` that
 * carries the contract's {@linkcode Outcome}.
 *
 * Two transport details live here and nowhere else: enclosing step states are sent once per
 * loop as a numbered `scope` and referred to by number; large result lists travel as JSON text
 * (`raw`), parsed only where read.
 *
 * @module
 */

import type {
  InjectableKind,
  LifecycleRequest,
  LoopFailure,
  LoopStep,
  Outcome,
  StepStates,
  WireError,
} from "../../core/contract.ts";
export type { WireError };

/** The manifest as the sandbox saw it: its data, without code, not yet checked. */
export interface ManifestDescription {
  /** `name`. */
  name: unknown;
  /** `version`. */
  version: unknown;
  /** `api`. */
  api: unknown;
  /** `description`. */
  description: unknown;
  /** `permissions`, as plain data. */
  permissions: unknown;
  /** The names of the events it has handlers for (absent: none, or an older sandbox). */
  events?: unknown;
  /** Each injectable, without code. */
  injectables: {
    kind: unknown;
    name: unknown;
    description: unknown;
    hasParams: boolean;
    /** A JSON Schema of its params, when its params schema can give one. */
    paramsSchema?: unknown;
    /** The services it declares it takes (`services`), as plain data. */
    services?: unknown;
  }[];
}

/** A pipe run as it crosses the boundary. */
export interface RunMessage {
  /** Always "run". */
  t: "run";
  /** The request id. */
  id: number;
  /** The pipe name. */
  pipe: string;
  /** Rendered params. */
  params: unknown;
  /** Params that are other steps' fields as JSON text: parsed into `params` at `path`. */
  rawParams?: { path: (string | number)[]; json: string }[];
  /** Ids of enclosing step states sent before as `scope`, outermost first. */
  scopes: number[];
  /** The innermost step states. */
  steps: StepStates;
  /** Injected name to service id. */
  services: Record<string, string>;
  /** The step and runner. */
  step: { id: string; runner: string };
}

/** A whole `for_each` sent to run inside the sandbox (see `LoopInput` in the contract). */
export interface LoopMessage {
  /** Always "loop". */
  t: "loop";
  /** The request id. */
  id: number;
  /** The items, or null when `rawItems` carries them. */
  items: unknown[] | null;
  /** The items as JSON text (another step's field handed over by reference). */
  rawItems?: string;
  /** Index of the first item. */
  base: number;
  /** Items at once. */
  concurrency: number;
  /** The sub-steps, each with the id its service calls are made under. */
  steps: (LoopStep & { origin: number })[];
  /** Ids of enclosing step states sent before as `scope`, outermost first. */
  scopes: number[];
  /** The `for_each` step and runner. */
  step: { id: string; runner: string };
  /** How long a step may go on after its timeout before the sandbox is given up. */
  killAfterMs: number;
}

/**
 * How far a loop has come: cumulative counts, the items in flight, the next item to start, and
 * the failures since the last report. A loop never starts an item more than `window` past the
 * `next` of the report it last sent, so a host that loses the sandbox knows which items may
 * have run.
 */
export interface ProgressMessage {
  /** Always "progress". */
  t: "progress";
  /** The loop's request id. */
  id: number;
  /** Index of the next item to start. */
  next: number;
  /** Indexes of items in flight. */
  open: number[];
  /** Items that succeeded so far. */
  succeeded: number;
  /** Items that failed so far. */
  failed: number;
  /** Items skipped so far. */
  skipped: number;
  /** Failures since the last report (the first 100 of the loop at most). */
  failures: LoopFailure[];
}

/** The result of a loop, as its `done` carries it. */
export interface LoopDone {
  /** Items that succeeded. */
  succeeded: number;
  /** Items that failed. */
  failed: number;
  /** Items skipped. */
  skipped: number;
  /** Items in all. */
  total: number;
  /** Items never started. */
  notStarted: number;
  /** Failures not yet reported. */
  failures: LoopFailure[];
}

/**
 * Items a loop may start past the `next` of its last report: when a sandbox dies, at most this
 * many items (plus those in flight) fail as "may have run" instead of going on elsewhere. A
 * report costs one small message, so 16 keeps that under a message per 16 items.
 */
export const LOOP_WINDOW = 16;

/** Host to sandbox. */
export type HostMessage =
  | {
    t: "create";
    id: number;
    name: string;
    instance: string;
    params: unknown;
    services: Record<string, string>;
  }
  | RunMessage
  | LoopMessage
  | { t: "stop"; id: number }
  | { t: "setup"; id: number; timeoutMs: number }
  | ({ t: "lifecycle"; id: number; timeoutMs: number } & LifecycleRequest)
  | { t: "scope"; id: number; steps: StepStates }
  | { t: "drop"; id: number }
  | { t: "abort"; id: number; reason?: WireError }
  | { t: "invoke"; id: number; instance: string; method: string; args: unknown[] }
  | { t: "result"; id: number; ok: boolean; value?: unknown; error?: WireError }
  | { t: "validate"; id: number; kind: InjectableKind; name: string; params: unknown };

/** A request's end, with its outcome. */
export interface DoneMessage {
  /** Always "done". */
  t: "done";
  /** The request id. */
  id: number;
  /** How it ended. */
  outcome: Outcome;
  /** Large fields of a succeeded outcome's data, as JSON text. */
  raw?: Record<string, string>;
}

/** Sandbox to host. */
export type SandboxMessage =
  | { t: "ready"; manifest: ManifestDescription }
  | { t: "crash"; error: WireError; fatal: boolean }
  | { t: "invalid"; problems: string[]; manifest: ManifestDescription | undefined }
  | DoneMessage
  | ProgressMessage
  | {
    t: "call";
    id: number;
    origin: number;
    instance: string;
    method: string;
    args: unknown[];
    /** A loop step's own deadline (the host keeps the earlier of it and its own bound). */
    deadline?: number;
  }
  | {
    t: "log";
    level: "debug" | "info" | "warning" | "error";
    message: string;
    props?: Record<string, unknown>;
  };
