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

import type { InjectableKind, Outcome, StepStates, WireError } from "../../core/contract.ts";
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
  /** Each injectable, without code. */
  injectables: { kind: unknown; name: unknown; description: unknown; hasParams: boolean }[];
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
  | { t: "call"; id: number; origin: number; instance: string; method: string; args: unknown[] }
  | {
    t: "log";
    level: "debug" | "info" | "warning" | "error";
    message: string;
    props?: Record<string, unknown>;
  };
