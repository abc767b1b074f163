/**
 * Step data that stays serialized until someone looks inside: a pipe's large result fields
 * (batches of tickets) arrive from its sandbox as JSON text and are parsed only when an
 * expression reads them. A step whose param is exactly `${{ steps.x.data.items }}` gets the
 * text passed on as it is, so the host neither parses nor re-serializes data that only goes
 * from one sandbox to the next.
 *
 * @module
 */

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

/** A param that is another step's field, still as JSON text: sent on without parsing. */
export class RawJson {
  /** The JSON text. */
  readonly json: string;
  #data: Record<string, unknown>;
  #key: string;

  /** Refers to `data[key]`, whose JSON text is `json`. */
  constructor(json: string, data: Record<string, unknown>, key: string) {
    this.json = json;
    this.#data = data;
    this.#key = key;
  }

  /** The parsed value (parsed once, shared with the step data). */
  get value(): unknown {
    return this.#data[this.#key];
  }
}
