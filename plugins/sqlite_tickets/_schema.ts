/**
 * Opens a ticket store's SQLite file: checks that it is one (or empty), that this plugin can
 * read its schema version, and that it is writable; creates the schema in a new file, in one
 * write transaction, so that processes opening a new file at once all succeed.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { isLockError, storeError } from "./_errors.ts";

/** The schema version this plugin writes and reads (`PRAGMA user_version`). */
export const SCHEMA_VERSION = 1;

/** How long opening a store waits for another process's lock on it, in milliseconds. */
const OPEN_TIMEOUT_MS = 5000;

/** Marks the file as an otai ticket store (`PRAGMA application_id`): "otai" in ASCII. */
const APPLICATION_ID = 0x6f746169;

const SCHEMA_V1 = `
CREATE TABLE tickets (
  id TEXT PRIMARY KEY NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  queue TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL DEFAULT '',
  state TEXT,
  type TEXT,
  customer TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);
CREATE INDEX tickets_by_time ON tickets (updated_at, id);
CREATE INDEX tickets_by_queue ON tickets (queue, updated_at, id);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  body TEXT NOT NULL,
  subject TEXT,
  author TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX notes_by_ticket ON notes (ticket_id, id);
CREATE TABLE marks (
  ticket_id TEXT NOT NULL REFERENCES tickets (id),
  key TEXT NOT NULL,
  run TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (key, ticket_id)
) WITHOUT ROWID;
CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  actor TEXT NOT NULL,
  run TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX history_by_ticket ON history (ticket_id, id);
CREATE INDEX history_by_run ON history (run, id);
CREATE INDEX history_by_time ON history (at);
`;

/**
 * Opens (or creates) the ticket store at `path`, in WAL mode. A missing directory is created
 * when the plugin may. Several processes may open the same new file at once: the check whether
 * the file is an otai store and the schema creation run in one write transaction, so one process
 * creates the schema and the others wait for it (up to five seconds) and then find it.
 *
 * @param path The db file; `":memory:"` for a store that lives only as long as the process.
 * @returns The open database; close it when done.
 * @throws {Deno.errors.NotCapable} When the plugin was not granted read and write access.
 * @throws {Error} When the file is not an otai ticket store, has a newer schema version, is
 *   not writable, or stays locked by another process; the message says what to do.
 *
 * @example
 * ```ts
 * import { openDatabase, SCHEMA_VERSION } from "./_schema.ts";
 * import { strictEqual } from "node:assert/strict";
 * const db = openDatabase(":memory:");
 * strictEqual(db.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION);
 * db.close();
 * ```
 */
export function openDatabase(path: string): DatabaseSync {
  if (typeof path !== "string" || path.trim() === "") {
    throw new TypeError("Cannot open a ticket store: path must be a non-empty file path");
  }
  makeParent(path);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  } catch (e) {
    throw storeError(e, { path, action: "open" });
  }
  try {
    // Before anything reads the file: from here on a lock held by another process is waited for.
    run(db, `PRAGMA busy_timeout = ${OPEN_TIMEOUT_MS}`);
    untilUnlocked(() => setUp(db, path), OPEN_TIMEOUT_MS);
    run(db, "PRAGMA synchronous = NORMAL");
  } catch (e) {
    db.close();
    throw storeError(e, { path, action: "open" });
  }
  return db;
}

/**
 * Checks the file, creates or migrates its schema and switches it to WAL. Safe to run again
 * after a lock error: each step finds what an earlier run (or another process) did.
 */
function setUp(db: DatabaseSync, path: string): void {
  run(db, "BEGIN IMMEDIATE");
  try {
    // Read under the write lock: another process has committed all of its schema or none.
    const version = pragma(db, "user_version");
    checkStore(db, path, version);
    // Migrations from older versions go here, in this same transaction.
    if (version === 0) db.exec(SCHEMA_V1);
    run(db, `PRAGMA application_id = ${APPLICATION_ID}`);
    // Written on every open: fails now, with a clear message, when the file is read-only.
    run(db, `PRAGMA user_version = ${SCHEMA_VERSION}`);
    run(db, "COMMIT");
  } catch (e) {
    if (db.isTransaction) run(db, "ROLLBACK");
    throw e;
  }
  // Only outside a transaction, and only while no other connection reads the file: a racing
  // process's read makes it fail with "database is locked", which untilUnlocked() retries.
  const mode = db.prepare("PRAGMA journal_mode").get()?.journal_mode;
  if (mode !== "wal" && mode !== "memory") run(db, "PRAGMA journal_mode = WAL");
}

/** Throws unless the file is new (empty) or an otai ticket store this plugin reads. */
function checkStore(db: DatabaseSync, path: string, version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `Cannot open ticket store "${path}": it has schema version ${version}, newer than ` +
        `version ${SCHEMA_VERSION} that this sqlite-tickets plugin reads; upgrade the plugin ` +
        "or pass another path",
    );
  }
  const appId = pragma(db, "application_id");
  if (appId === APPLICATION_ID) return;
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()
    .map((r) => String(r.name));
  if (appId === 0 && version === 0 && tables.length === 0) return;
  const what = tables.length
    ? `it holds tables ${tables.map((t) => `"${t}"`).join(", ")}`
    : `its application id is ${appId}`;
  throw new Error(
    `Cannot open ticket store "${path}": it is not an otai ticket store (${what}); pass a ` +
      "new path or move the file away",
  );
}

/**
 * Runs `fn` again while it fails with a lock error, pausing a little longer each time, until
 * `timeoutMs` have passed. SQLite's busy timeout covers most waits, but not all: it returns
 * "database is locked" at once where waiting could deadlock, and around a journal mode switch.
 */
function untilUnlocked(fn: () => void, timeoutMs: number): void {
  const deadline = performance.now() + timeoutMs;
  for (let pause = 2;; pause = Math.min(pause * 2, 100)) {
    try {
      return fn();
    } catch (e) {
      const wait = pause * (0.5 + Math.random());
      if (!isLockError(e) || performance.now() + wait > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    }
  }
}

function run(db: DatabaseSync, sql: string): void {
  db.prepare(sql).run();
}

function pragma(db: DatabaseSync, name: string): number {
  return Number(db.prepare(`PRAGMA ${name}`).get()?.[name] ?? 0);
}

function makeParent(path: string): void {
  if (path === ":memory:" || path.startsWith("file:")) return;
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (slash <= 0) return;
  try {
    Deno.mkdirSync(path.slice(0, slash), { recursive: true });
  } catch {
    // Not allowed or not possible: SQLite's own error says more.
  }
}
