/**
 * Step data that stays serialized until someone looks inside: a pipe's large result fields
 * (batches of tickets) arrive from its sandbox as JSON text and are parsed only when an
 * expression reads them. A param handed over by reference (exactly `${{ steps.x.data.items }}`)
 * is sent on as that text, so the host neither parses nor re-serializes data that only goes
 * from one sandbox to the next.
 *
 * @module
 */

import type { ParamRef } from "../../core/contract.ts";
import { setAt } from "./_set_at.ts";

const RAW = new WeakMap<object, Map<string, string>>();

/**
 * Gives `data` fields whose values are JSON text, parsed on first read (and then kept).
 *
 * @param data The step data object (its other fields are plain values).
 * @param raw Field name to JSON text.
 * @returns The same object.
 */
export function withRawFields<T extends object>(data: T, raw: Record<string, string>): T {
  const texts = new Map(Object.entries(raw));
  RAW.set(data, texts);
  for (const [key, json] of texts) {
    Object.defineProperty(data, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = JSON.parse(json);
        Object.defineProperty(data, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return value;
      },
    });
  }
  return data;
}

/** The JSON text of a field that came as text, if it did. */
export function rawField(data: unknown, key: string): string | undefined {
  return data !== null && typeof data === "object" ? RAW.get(data)?.get(key) : undefined;
}

/**
 * Params handed over by reference: a field that came as JSON text goes on as that text (the
 * guest parses it into place), anything else is put in place as a value.
 */
export function passOn(params: unknown, refs: readonly ParamRef[]) {
  const rawParams: { path: (string | number)[]; json: string }[] = [];
  for (const ref of refs) {
    const json = rawField(ref.data, ref.field);
    if (json !== undefined && ref.path.length) rawParams.push({ path: [...ref.path], json });
    else params = setAt(params, ref.path, (ref.data as Record<string, unknown>)[ref.field]);
  }
  return { params, rawParams };
}
