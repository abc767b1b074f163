/**
 * Errors of the ticket store, worded so the reader knows what to do.
 *
 * @module
 */

/** Options for {@linkcode storeError}. */
export interface StoreErrorOptions {
  /** The db file as configured. */
  path: string;
  /** What was being done: `"open"`, `"read"`, `"write"`. */
  action: string;
}

/**
 * Explains a SQLite error on the store at `path`: what went wrong and how to fix it. Permission
 * denials (`NotCapable`) and errors that are not SQLite's pass through unchanged, so the host
 * can name the grant to change.
 *
 * @param error What was thrown.
 * @param options The db file as configured, and what was being done ("open", "write").
 * @returns The error to throw.
 *
 * @example
 * ```ts
 * import { storeError } from "./_errors.ts";
 * import { match } from "node:assert/strict";
 * const e = Object.assign(new Error("file is not a database"), {
 *   code: "ERR_SQLITE_ERROR",
 *   errcode: 26,
 * });
 * match(storeError(e, { path: "t.db", action: "open" }).message, /"t.db": it is not an otai ticket store/);
 * ```
 */
export function storeError(error: unknown, options: StoreErrorOptions): Error {
  const { path, action } = options;
  if (!(error instanceof Error)) return new Error(String(error));
  const { code } = error as Error & { code?: unknown };
  if (code !== "ERR_SQLITE_ERROR") return error;
  const errcode = sqliteCode(error);
  const head = `Cannot ${action} ticket store "${path}"`;
  const why = `(${error.message})`;
  let message: string;
  switch (errcode & 0xff) {
    case 26:
      message = `${head}: it is not an otai ticket store ${why}; pass a new path or move the ` +
        "file away";
      break;
    case 11:
      message = `${head}: the file is corrupt ${why}; restore it from a backup or pass a new path`;
      break;
    case 8:
      message = errcode === 1544
        ? `${head}: its directory is not writable ${why}; SQLite keeps its journal files ` +
          "beside the db file, so make the directory writable or pass another path"
        : `${head}: the file is not writable ${why}; make it writable for the user running ` +
          "otai or pass another path";
      break;
    case 14:
      message = `${head}: SQLite cannot open or create it ${why}; check that its directory ` +
        "exists and is writable (SQLite keeps journal files beside the db file), or pass " +
        "another path";
      break;
    case 5:
    case 6:
      message = `${head}: another process holds a lock on it ${why}; try again when that ` +
        "process has finished";
      break;
    case 13:
      message = `${head}: the disk is full ${why}; free some space and try again`;
      break;
    default:
      message = `${head}: ${error.message}`;
  }
  return new Error(message, { cause: error });
}

/**
 * Tells whether `error` is SQLite's "database is locked" or "table is locked" (`SQLITE_BUSY`,
 * `SQLITE_LOCKED`): another connection holds the lock, and trying again later may succeed.
 *
 * @param error What was thrown.
 * @returns Whether it is a lock error.
 *
 * @example
 * ```ts
 * import { isLockError } from "./_errors.ts";
 * import { strictEqual } from "node:assert/strict";
 * const e = Object.assign(new Error("database is locked"), { code: "ERR_SQLITE_ERROR" });
 * strictEqual(isLockError(e), true);
 * strictEqual(isLockError(new Error("database is locked")), false);
 * ```
 */
export function isLockError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as Error & { code?: unknown }).code !== "ERR_SQLITE_ERROR") return false;
  const primary = sqliteCode(error) & 0xff;
  return primary === 5 || primary === 6;
}

/** SQLite's result code; `exec()` errors carry only the message, so it is read from that. */
function sqliteCode(error: Error): number {
  const { errcode } = error as Error & { errcode?: unknown };
  if (typeof errcode === "number") return errcode;
  const m = error.message;
  if (m.includes("file is not a database")) return 26;
  if (m.includes("malformed")) return 11;
  if (m.includes("readonly database")) return 8;
  if (m.includes("unable to open database file")) return 14;
  if (m.includes("database is locked")) return 5;
  if (m.includes("table is locked")) return 6;
  if (m.includes("disk is full")) return 13;
  return 1;
}

/**
 * The error for an id that names no ticket.
 *
 * @param action What was being done ("update", "add a note to").
 * @param id The id asked for.
 * @returns A `NotFound` error naming the id.
 *
 * @example
 * ```ts
 * import { unknownTicket } from "./_errors.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(unknownTicket("update", "T-1").name, "NotFound");
 * ```
 */
export function unknownTicket(action: string, id: string): Error {
  return new Deno.errors.NotFound(
    `Cannot ${action} ticket "${id}": there is no ticket with that id; find ids with ` +
      "search() or import the ticket first",
  );
}
