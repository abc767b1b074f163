/**
 * Updating one ticket on any ticket system: atomically with `apply()` where the ticket system
 * has it, else with `update()` and `addNote()`.
 *
 * @module
 */
import type { ServiceProxy, TicketChanges } from "@otai/cli/plugin";
import { defined } from "./_tickets.ts";

/** What to do to one ticket. */
export interface TicketUpdate {
  /** The ticket id. */
  id: string;
  /** Fields to change; fields whose value is undefined are left out. */
  changes?: { [K in keyof TicketChanges]?: TicketChanges[K] | undefined } | undefined;
  /** A note to add. */
  note?: { body: string; subject?: string | undefined } | undefined;
  /** Mark the ticket processed under this key; a ticket that has it already is left alone. */
  mark?: string | undefined;
}

/** What updating one ticket did. */
export interface UpdateOutcome {
  /** The ticket id. */
  id: string;
  /** False when the ticket already had the mark, so nothing was done. */
  applied: boolean;
}

/** Why a mark cannot be set on a ticket system without `apply()`. */
export const CANNOT_MARK = "this ticket system cannot mark tickets as processed; drop mark: or " +
  "use a ticket system that supports apply";

/**
 * Remembers which ticket systems have `apply()`. The host hands a pipe run its own service
 * proxies, so a service is known by its proxy within a run and by the step that injects it
 * across runs. A step key can only be wrong when two steps share a runner and an id (nested
 * `for_each` lists); then a stale "has apply" heals on the next call, and a stale "has none"
 * costs atomicity only, since a `mark` always asks the service again.
 */
export class ApplySupport {
  #byProxy = new WeakMap<object, boolean>();
  #byStep = new Map<string, boolean>();

  /** Whether the service has `apply()`, or undefined when not known yet. */
  get(service: object, step?: string): boolean | undefined {
    return this.#byProxy.get(service) ?? (step === undefined ? undefined : this.#byStep.get(step));
  }

  /** Records whether the service has `apply()`. */
  set(service: object, step: string | undefined, has: boolean): void {
    this.#byProxy.set(service, has);
    if (step === undefined) return;
    if (this.#byStep.size >= 1000 && !this.#byStep.has(step)) this.#byStep.clear();
    this.#byStep.set(step, has);
  }
}

/**
 * Updates one ticket. With `apply()` on the ticket system, changes, note and mark happen in
 * one call (`applied: false` when the mark was already set); without, `update()` runs when
 * there are changes and `addNote()` when there is a note.
 *
 * @param tickets The ticket system.
 * @param update What to do.
 * @param options `support` remembers which services have `apply()`; `step` names the step.
 * @returns The ticket id and whether the update was applied.
 * @throws {Error} When the ticket system fails, or a mark is asked of one that cannot mark.
 *
 * @example
 * ```ts
 * import { ApplySupport, updateTicket } from "./_apply.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const calls: string[] = [];
 * const tickets = {
 *   apply: () => Promise.reject(new TypeError('service "t" has no method "apply"')),
 *   update: (id: unknown) => (calls.push(`update ${id}`), Promise.resolve(null)),
 *   addNote: (id: unknown) => (calls.push(`note ${id}`), Promise.resolve(null)),
 * };
 * const outcome = await updateTicket(tickets, {
 *   id: "7",
 *   changes: { queue: "IT" },
 *   note: { body: "Moved" },
 * }, { support: new ApplySupport() });
 * deepStrictEqual(outcome, { id: "7", applied: true });
 * deepStrictEqual(calls, ["update 7", "note 7"]);
 * ```
 */
export async function updateTicket(
  tickets: ServiceProxy,
  update: TicketUpdate,
  options: { support: ApplySupport; step?: string },
): Promise<UpdateOutcome> {
  const { id, mark } = update;
  const changes = update.changes && defined(update.changes);
  const note = update.note && defined(update.note);
  const { support, step } = options;
  if (support.get(tickets, step) !== false || mark !== undefined) {
    try {
      const result = await tickets.apply!(id, defined({ changes, note, mark }));
      support.set(tickets, step, true);
      return { id, applied: appliedOf(result) };
    } catch (e) {
      const has = !lacksApply(e);
      support.set(tickets, step, has);
      if (has) throw e;
    }
  }
  if (mark !== undefined) throw new Error(`Cannot update ticket "${id}": ${CANNOT_MARK}`);
  if (changes && Object.keys(changes).length > 0) await tickets.update!(id, changes);
  if (note) await tickets.addNote!(id, note);
  return { id, applied: true };
}

/** True for the failure of calling a method a service does not have. */
function lacksApply(e: unknown): boolean {
  return e instanceof Error && e.message.includes('has no method "apply"');
}

function appliedOf(result: unknown): boolean {
  if (result !== null && typeof result === "object" && "applied" in result) {
    return result.applied !== false;
  }
  return true;
}
