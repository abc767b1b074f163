/**
 * Parts of the plugin server: what the host asks outside of steps, run under the plugin's
 * permissions: the manifest's `start()`, `stop()` and `health()`, a service's close, and an
 * event for the manifest's handler.
 *
 * @module
 */
import type { LifecycleRequest, Outcome } from "../../../core/contract.ts";
import type { PluginLogger } from "../../../core/types.ts";
import { wire } from "./_wire.ts";

/** What a lifecycle request works on in one sandbox. */
export interface LifecycleState {
  /** The module's manifest. */
  manifest: Record<string, unknown> | undefined;
  /** The created service instances, by id; a closed one is removed. */
  services: Map<string, Record<string, unknown>>;
  /** The plugin's logger. */
  log: PluginLogger;
}

/** The longest `detail` of a health report. */
const MAX_DETAIL_CHARS = 500;

/**
 * Runs one lifecycle request; the signal it hands to plugin code aborts after `timeoutMs`.
 *
 * @returns Succeeded (health: with the report, or null without `health()`), skipped when the
 * manifest has nothing for it, or failed with the plugin's error.
 */
export async function serveLifecycle(
  request: LifecycleRequest,
  timeoutMs: number,
  state: LifecycleState,
): Promise<Outcome> {
  const ctx = { log: state.log, signal: AbortSignal.timeout(timeoutMs) };
  const m = state.manifest;
  try {
    switch (request.hook) {
      case "start":
      case "stop":
        return await call(m, m?.[request.hook], `the manifest's ${request.hook}`, [ctx]);
      case "health": {
        const report = await call(m, m?.health, "the manifest's health", []);
        const data = report.status === "succeeded" ? health(report.data) : null;
        return { status: "succeeded", data };
      }
      case "close":
        return await close(state.services, request.instance);
      case "event": {
        const events = m?.events as Record<string, unknown> | undefined;
        const handler = events?.[request.event.type];
        return await call(events, handler, `events["${request.event.type}"]`, [request.event, ctx]);
      }
    }
  } catch (e) {
    return { status: "failed", error: wire(e) };
  }
}

/** Calls `fn` on `self` when it is there; skipped when it is not. */
async function call(
  self: unknown,
  fn: unknown,
  what: string,
  args: unknown[],
): Promise<Outcome> {
  if (fn === undefined) return { status: "skipped", reason: `${what} is not defined` };
  if (typeof fn !== "function") throw new TypeError(`${what} is not a function`);
  const value = await fn.apply(self, args);
  return { status: "succeeded", data: value ?? null };
}

/** A health report as plain data, checked. */
function health(value: unknown): { ok: boolean; detail?: string } {
  const r = value as Record<string, unknown> | null;
  if (r === null || typeof r !== "object" || typeof r.ok !== "boolean") {
    throw new TypeError("health() must return { ok: boolean, detail?: string }");
  }
  if (r.detail === undefined) return { ok: r.ok };
  return { ok: r.ok, detail: String(r.detail).slice(0, MAX_DETAIL_CHARS) };
}

/** Closes a service: its `[Symbol.asyncDispose]()`, `[Symbol.dispose]()` or `close()`. */
async function close(
  services: Map<string, Record<string, unknown>>,
  instance: string,
): Promise<Outcome> {
  const service = services.get(instance);
  if (!service) return { status: "skipped", reason: `no service "${instance}"` };
  services.delete(instance);
  const s = service as Record<PropertyKey, unknown>;
  const fn = s[Symbol.asyncDispose] ?? s[Symbol.dispose] ?? s.close;
  if (typeof fn !== "function") return { status: "skipped", reason: "it has no close()" };
  await fn.call(service);
  return { status: "succeeded", data: null };
}
