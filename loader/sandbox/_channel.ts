/**
 * The transports that carry a sandbox's messages, one per isolation mode: what they share.
 *
 * @module
 */
import type { HostMessage } from "./protocol.ts";
import type { Isolation, PermissionSet } from "../../core/contract.ts";

/** One life of a plugin's code, however it is confined. */
export interface Channel {
  /** Sends a batch to the plugin side. */
  post(batch: HostMessage[]): void;
  /** Stops the plugin's code. */
  terminate(): void;
}

/** What a channel reports to its sandbox (the batch as received: checked by the sandbox). */
export interface ChannelEvents {
  /** A batch from the plugin side. */
  message(batch: unknown): void;
  /** The plugin side died; `reason` says how. */
  exit(reason: string): void;
}

/** How to start a plugin's code. */
export interface ChannelOptions {
  /** The plugin module specifier. */
  url: string;
  /** Its effective permissions. */
  permissions: PermissionSet;
  /** Largest result in bytes. */
  maxResultBytes: number;
  /** For process isolation: V8 heap limit in MB. */
  memoryMb?: number;
  /** For process isolation: flags deciding module resolution (import map, config). */
  denoArgs?: string[];
  /** For process isolation: where the subprocess starts. */
  cwd?: string;
  /** For process isolation: the environment variables it may read, with their values. */
  env?: Record<string, string>;
}

/** The module a sandbox starts: otai's guest entry, then the plugin module. */
export function entrySource(runtime: string, url: string, maxResultBytes: number): string {
  return `import { start } from ${JSON.stringify(runtime)};\n` +
    `import * as mod from ${JSON.stringify(url)};\n` +
    `start(mod, ${JSON.stringify({ maxResultBytes })});\n`;
}

/** How to start a sandbox: its module, confinement and limits. */
export interface StartOptions {
  /** The plugin module specifier. */
  url: string;
  /** Deno permissions of the sandbox. */
  permissions: PermissionSet;
  /** Worker (default), subprocess, or in the host (trusted plugins only). */
  isolation?: Isolation;
  /** For process isolation: the V8 heap limit in MB. */
  memoryMb?: number;
  /** The largest result in bytes; default 64 MB. */
  maxResultBytes?: number;
  /** For process isolation: module resolution flags and working directory. */
  denoArgs?: string[];
  /** For process isolation: where the subprocess starts. */
  cwd?: string;
  /** For process isolation: the environment variables it may read, with their values. */
  env?: Record<string, string>;
  /** How long loading may take; default 30 s. */
  loadTimeoutMs?: number;
}
