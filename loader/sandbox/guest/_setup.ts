/**
 * Parts of the plugin server: a manifest's `setup(ctx)` (once per sandbox, before any other
 * request, under the plugin's permissions), results split into large lists sent as text, and
 * the logger plugin code gets.
 *
 * @module
 */
import type { Outcome } from "../../../core/contract.ts";
import type { PluginLogger } from "../../../core/types.ts";
import type { SandboxMessage } from "../protocol.ts";
import { wire } from "./_wire.ts";

/** A result list at least this long is sent as JSON text. */
const RAW_MIN_ITEMS = 64;

/**
 * Runs `manifest.setup(ctx)` when there is one; its signal aborts after `timeoutMs`.
 *
 * @returns Succeeded (also without a setup), or failed with the plugin's error.
 */
export async function runSetup(
  manifest: Record<string, unknown> | undefined,
  log: PluginLogger,
  timeoutMs: number,
): Promise<Outcome> {
  const setup = manifest?.setup;
  if (setup === undefined) return { status: "succeeded", data: null };
  try {
    if (typeof setup !== "function") throw new TypeError("the manifest's setup is not a function");
    await setup.call(manifest, { log, signal: AbortSignal.timeout(timeoutMs) });
    return { status: "succeeded", data: null };
  } catch (e) {
    return { status: "failed", error: wire(e) };
  }
}

/**
 * A result's large lists (`RAW_MIN_ITEMS` items or more) as JSON text, to be passed on by the
 * host without parsing; undefined when it has none.
 */
export function splitRaw(
  value: unknown,
): { rest: Record<string, unknown>; texts: Record<string, string> } | undefined {
  if (value === null || typeof value !== "object") return undefined;
  let rest: Record<string, unknown> | undefined;
  let texts: Record<string, string> | undefined;
  for (const [key, field] of Object.entries(value)) {
    if (Array.isArray(field) && field.length >= RAW_MIN_ITEMS) {
      (texts ??= {})[key] = JSON.stringify(field);
    } else (rest ??= {})[key] = field;
  }
  return texts ? { rest: rest ?? {}, texts } : undefined;
}

/** The logger handed to plugin code: each record is sent to the host as a `log` message. */
export function pluginLogger(send: (msg: SandboxMessage) => void): PluginLogger {
  const log =
    (level: "debug" | "info" | "warning" | "error") =>
    (message: string, props?: Record<string, unknown>) =>
      send({ t: "log", level, message: String(message), ...(props ? { props } : {}) });
  return { debug: log("debug"), info: log("info"), warn: log("warning"), error: log("error") };
}
