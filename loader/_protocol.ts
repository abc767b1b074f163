/**
 * Messages between the host and a plugin sandbox. Both sides post arrays of messages, so many
 * calls made in one tick cross the boundary as one structured clone.
 *
 * @module
 */

import type { RunInput, WireError } from "../core/registry.ts";
export type { WireError };

/** Where a piece of injectables' code came from: the manifest as the sandbox saw it. */
export interface ManifestDescription {
  name: unknown;
  version: unknown;
  api: unknown;
  description: unknown;
  permissions: unknown;
  injectables: { kind: unknown; name: unknown; description: unknown; hasParams: boolean }[];
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
  | ({ t: "run"; id: number } & RunInput)
  | { t: "scope"; id: number; steps: Record<string, unknown> }
  | { t: "drop"; id: number }
  | { t: "abort"; id: number }
  | { t: "invoke"; id: number; instance: string; method: string; args: unknown[] }
  | { t: "result"; id: number; ok: boolean; value?: unknown; error?: WireError }
  | { t: "validate"; id: number; kind: "pipe" | "service"; name: string; params: unknown };

/** Sandbox to host. */
export type SandboxMessage =
  | { t: "ready"; manifest: ManifestDescription }
  | { t: "crash"; error: WireError; fatal: boolean }
  | { t: "invalid"; problems: string[]; manifest: ManifestDescription | undefined }
  | {
    t: "done";
    id: number;
    status: "ok" | "skip" | "fail";
    value?: unknown;
    /** Large fields of `value`, as JSON text (the host parses them only if it reads them). */
    raw?: Record<string, string>;
    reason?: string;
    error?: WireError;
  }
  | { t: "call"; id: number; origin: number; instance: string; method: string; args: unknown[] }
  | {
    t: "log";
    level: "debug" | "info" | "warning" | "error";
    message: string;
    props?: Record<string, unknown>;
  };
