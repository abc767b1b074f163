import type { CompiledValue } from "./expression.ts";
import { RawJson } from "./raw_json.ts";
import type { StepState } from "./types.ts";

/**
 * Takes the params that are other steps' fields still as JSON text out of the rendered params
 * (leaving null in their place), to be sent on as text.
 */
export function takeRawParams(
  params: unknown,
  refs: CompiledValue["refs"],
): { path: (string | number)[]; json: string }[] {
  const out: { path: (string | number)[]; json: string }[] = [];
  for (const path of refs ?? []) {
    if (path.length === 0) continue;
    let parent = params as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent?.[key] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    const value = parent?.[last];
    if (value instanceof RawJson) {
      out.push({ path: [...path], json: value.json });
      parent[last] = null;
    }
  }
  return out;
}

/**
 * What a pipe is sent of the steps before it: status, error and reason, not data. Data can be
 * large (a batch of tickets) and would cross the sandbox boundary again for every later step;
 * a pipe gets the data it needs through its params (`${{ steps.fetch.data.tickets }}`).
 */
export function states(steps: Record<string, StepState>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(steps)) {
    out[id] = s.error !== undefined
      ? { status: s.status, error: s.error }
      : s.reason !== undefined
      ? { status: s.status, reason: s.reason }
      : { status: s.status };
  }
  return out;
}
