import type { ParamRef, StepStates } from "../contract.ts";
import type { FieldRef } from "../expression.ts";
import type { StepState } from "../types.ts";

/**
 * What a pipe is sent of the steps before it: status, error and reason, not data. Data can be
 * large (a batch of tickets) and would cross the sandbox boundary again for every later step;
 * a pipe gets the data it needs through its params (`${{ steps.fetch.data.tickets }}`).
 */
export function states(steps: Record<string, StepState>): StepStates {
  const out: StepStates = {};
  for (const [id, s] of Object.entries(steps)) {
    out[id] = s.error !== undefined
      ? { status: s.status, error: s.error }
      : s.reason !== undefined
      ? { status: s.status, reason: s.reason }
      : { status: s.status };
  }
  return out;
}

/**
 * The params that are exactly another step's data field and can be handed over by reference:
 * those whose step has data holding that field.
 */
export function paramRefs(
  refs: readonly FieldRef[],
  steps: Record<string, StepState>,
): ParamRef[] {
  const out: ParamRef[] = [];
  for (const ref of refs) {
    const data = steps[ref.step]?.data;
    if (data !== null && typeof data === "object" && Object.hasOwn(data, ref.field)) {
      out.push({ path: ref.path, data, field: ref.field });
    }
  }
  return out;
}

/** The state with secrets redacted from its error or reason (in place). */
export function redacted(state: StepState, redact?: (text: string) => string): StepState {
  if (!redact) return state;
  if (state.error !== undefined) state.error = redact(state.error);
  if (state.reason !== undefined) state.reason = redact(state.reason);
  return state;
}

/** A `for_each` cut short by a stop, with nothing failed of what had started. */
export function stoppedOnly(state: StepState): boolean {
  const data = (state as { data?: { not_started?: unknown; failed?: unknown } }).data;
  return typeof data?.not_started === "number" && data.not_started > 0 && data.failed === 0;
}
