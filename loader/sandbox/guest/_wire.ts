/**
 * Values at the guest's edge: errors as they cross the boundary, params checked against a
 * plugin's Standard Schema, params put in place.
 *
 * @module
 */
import type { ParamIssue, WireError } from "../../../core/contract.ts";
import type { StandardSchema } from "../../../core/types.ts";
export { setAt } from "../_set_at.ts";

/** The issues a schema finds in params, with their paths. */
export async function issuesOf(schema: StandardSchema, value: unknown): Promise<ParamIssue[]> {
  const result = await schema["~standard"].validate(value);
  return (result.issues ?? []).map((i) => ({
    path: (i.path ?? []).map((p) => {
      const key = typeof p === "object" ? p.key : p;
      return typeof key === "number" ? key : String(key);
    }),
    message: i.message,
  }));
}

/**
 * Validates params with their schema.
 *
 * @returns The schema's output.
 * @throws {TypeError} `invalid params: <path>: <message>; …` naming each problem.
 */
export async function parseParams(schema: StandardSchema, value: unknown): Promise<unknown> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return result.value;
  const text = result.issues.map((i) => {
    const path = (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
    return path ? `${path}: ${i.message}` : i.message;
  });
  throw new TypeError(`invalid params: ${text.join("; ")}`);
}

/**
 * An error as it crosses the boundary; non-Error values are described. Plugin code controls the
 * error object (a getter may throw), so every field is read defensively.
 */
export function wire(e: unknown, depth = 0): WireError {
  if (e instanceof Error) {
    const name = read(() => e.name) ?? "Error";
    const message = read(() => e.message) ?? "threw an error whose message cannot be read";
    const stack = read(() => e.stack);
    let cause: unknown;
    try {
      cause = e.cause;
    } catch { /* a getter that throws: no cause */ }
    const wired = depth < 3 && cause !== undefined ? wire(cause, depth + 1) : undefined;
    return { name, message, ...(stack ? { stack } : {}), ...(wired ? { cause: wired } : {}) };
  }
  let text: string;
  try {
    text = typeof e === "string" ? e : JSON.stringify(e) ?? String(e);
  } catch {
    text = Object.prototype.toString.call(e);
  }
  return { name: "Error", message: `threw a non-Error value: ${text.slice(0, 500)}` };
}

function read(field: () => unknown): string | undefined {
  try {
    const value = field();
    return value === undefined ? undefined : String(value);
  } catch {
    return undefined;
  }
}

/** An Error rebuilt from its wire form. */
export function unwire(e: WireError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}
