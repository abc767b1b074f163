/**
 * Who in a sandbox may call which services, and until when: a pipe run while it runs, a service
 * instance while it is being created or is handling a call, a sub-step of a loop while the loop
 * runs. A call is let through only under a live grant (by the origin id the call names), so a
 * plugin cannot call a service by guessing ids, nor keep a grant after its request ended.
 *
 * @module
 */
import type { HostMessage, SandboxMessage } from "./protocol.ts";
import type { ServiceCall, WireError } from "../../core/contract.ts";

/** The grants of one sandbox. */
export class CallGrants {
  #grants = new Map<number, ReadonlySet<string>>();
  #deadlines = new Map<number, number>();
  #loopTimeouts = new Map<number, number>();
  #instances = new Map<string, { origin: number; services: ReadonlySet<string>; busy: number }>();

  /** A pipe run (or service creation, by its negative id) may call `services` until `deadline`. */
  grant(origin: number, services: ReadonlySet<string>, deadline?: number): void {
    this.#grants.set(origin, services);
    if (deadline !== undefined) this.#deadlines.set(origin, deadline);
  }

  /** Ends a grant. */
  revoke(origin: number): void {
    this.#grants.delete(origin);
    this.#deadlines.delete(origin);
    this.#loopTimeouts.delete(origin);
  }

  /** A loop sub-step may call `services`, each call bounded by `timeoutMs` from when it is made. */
  grantLoopStep(origin: number, services: ReadonlySet<string>, timeoutMs: number): void {
    this.#grants.set(origin, services);
    this.#loopTimeouts.set(origin, timeoutMs);
  }

  /** A created service instance: its creation's grant holds again while it handles a call. */
  created(instance: string, origin: number, services: ReadonlySet<string>): void {
    this.#instances.set(instance, { origin, services, busy: 0 });
  }

  /**
   * A call into `instance` begins (with its caller's deadline); the returned function ends it.
   * While any call is in flight, the instance may call the services it was created with.
   */
  handling(instance: string, deadline: number | undefined): () => void {
    const target = this.#instances.get(instance);
    if (!target) return () => {};
    if (target.busy++ === 0) this.#grants.set(target.origin, target.services);
    if (deadline !== undefined) this.#deadlines.set(target.origin, deadline);
    return () => {
      if (--target.busy === 0) this.revoke(target.origin);
    };
  }

  /** Whether a call made under `origin` may reach `instance`. */
  allows(origin: number, instance: string): boolean {
    return this.#grants.get(origin)?.has(instance) ?? false;
  }

  /**
   * The deadline of a call made under `origin`: its caller's, or for a loop step its own
   * (`claimed`, sent by the guest) but never later than its timeout from now.
   */
  deadline(origin: number, claimed: number | undefined): number | undefined {
    const known = this.#deadlines.get(origin);
    if (known !== undefined) return known;
    const timeoutMs = this.#loopTimeouts.get(origin);
    if (timeoutMs === undefined) return undefined;
    const bound = Date.now() + timeoutMs;
    return claimed === undefined ? bound : Math.min(claimed, bound);
  }
}

/**
 * A deadline moved earlier by a third of the time left (at most two seconds), so that a
 * service's failure has time to travel back through each service that relayed the call.
 */
export function early(deadline: number): number {
  const left = deadline - Date.now();
  return deadline - Math.min(2000, Math.max(0, left / 3));
}

/**
 * Routes a service call a sandbox made: refused unless the step (or service) it came from was
 * granted that instance; else handed to `onCall` with a deadline a little before the caller's,
 * so that the caller learns which service hung instead of timing out itself.
 */
export function routeCall(
  msg: Extract<SandboxMessage, { t: "call" }>,
  calls: CallGrants,
  send: (msg: HostMessage) => void,
  onCall: ((call: ServiceCall) => Promise<unknown>) | undefined,
): void {
  const reply = (ok: boolean, value?: unknown, error?: WireError) =>
    send({ t: "result", id: msg.id, ok, value, ...(error ? { error } : {}) });
  if (!calls.allows(msg.origin, msg.instance) || !onCall) {
    reply(false, undefined, {
      name: "NotCapable",
      message: `service "${msg.instance}" is not injected into this step; add it under injects`,
    });
    return;
  }
  const deadline = calls.deadline(msg.origin, msg.deadline);
  const call = { instance: msg.instance, method: msg.method, args: msg.args };
  onCall(deadline === undefined ? call : { ...call, deadline: early(deadline) }).then(
    (value) => reply(true, value),
    (e) => reply(false, undefined, { name: e?.name ?? "Error", message: String(e?.message ?? e) }),
  );
}
