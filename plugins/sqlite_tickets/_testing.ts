/**
 * Test helpers for this plugin's unit tests: a store in a fresh temp dir and a settable clock.
 *
 * @module
 */
import { TicketStore, type TicketStoreOptions } from "./_store.ts";

/** A store in a temp dir; disposing closes it and removes the dir. */
export interface TempStore extends AsyncDisposable {
  /** The temp dir. */
  dir: string;
  /** The db file. */
  path: string;
  /** The open store. */
  store: TicketStore;
  /** Writes a file into the temp dir and returns its path. */
  write(name: string, text: string): Promise<string>;
}

/**
 * Opens a store on a new SQLite file in a new temp dir.
 *
 * @param options Store options.
 * @returns The store, its file and dir.
 *
 * @example
 * ```ts
 * import { tempStore } from "./_testing.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * await using t = await tempStore();
 * deepStrictEqual(t.store.search({ limit: 1 }), []);
 * ```
 */
export async function tempStore(options: TicketStoreOptions = {}): Promise<TempStore> {
  const dir = await Deno.makeTempDir({ prefix: "otai-sqlite-tickets-" });
  const path = `${dir}/tickets.db`;
  let store: TicketStore;
  try {
    store = new TicketStore(path, options);
  } catch (e) {
    await Deno.remove(dir, { recursive: true });
    throw e;
  }
  return {
    dir,
    path,
    store,
    async write(name, text) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      return `${dir}/${name}`;
    },
    async [Symbol.asyncDispose]() {
      store[Symbol.dispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A clock a test sets by hand. */
export interface Clock {
  /** The current time, for `TicketStoreOptions.now`. */
  now(): Date;
  /** Sets the time (ISO 8601). */
  set(iso: string): void;
}

/**
 * A clock that stands still until set.
 *
 * @param iso The starting time.
 * @returns The clock.
 *
 * @example
 * ```ts
 * import { manualClock } from "./_testing.ts";
 * import { strictEqual } from "node:assert/strict";
 * const clock = manualClock("2024-01-01T00:00:00Z");
 * clock.set("2024-02-01T00:00:00Z");
 * strictEqual(clock.now().toISOString(), "2024-02-01T00:00:00.000Z");
 * ```
 */
export function manualClock(iso: string): Clock {
  let t = new Date(iso);
  return { now: () => t, set: (next) => void (t = new Date(next)) };
}
