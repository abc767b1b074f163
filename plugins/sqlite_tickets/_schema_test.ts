import { match, strictEqual, throws } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { storeError } from "./_errors.ts";
import { openDatabase, SCHEMA_VERSION } from "./_schema.ts";
import { TicketStore } from "./_store.ts";

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "otai-sqlite-schema-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openDatabase() refuses a file that is not a ticket store, naming what to do", async (t) => {
  await withDir(async (dir) => {
    await t.step("a text file", async () => {
      const path = `${dir}/notes.db`;
      await Deno.writeTextFile(path, "these are my notes, not a database\n".repeat(100));
      throws(() => new TicketStore(path), {
        message: `Cannot open ticket store "${path}": it is not an otai ticket store (file is ` +
          "not a database); pass a new path or move the file away",
      });
      strictEqual(
        (await Deno.readTextFile(path)).slice(0, 10),
        "these are ",
        "the file is left alone",
      );
    });
    await t.step("another program's SQLite database", () => {
      const path = `${dir}/other.db`;
      const db = new DatabaseSync(path);
      db.exec("CREATE TABLE users (name TEXT)");
      db.close();
      throws(() => openDatabase(path), {
        message: `Cannot open ticket store "${path}": it is not an otai ticket store (it holds ` +
          'tables "users"); pass a new path or move the file away',
      });
    });
  });
});

Deno.test("openDatabase() refuses a newer schema version", async () => {
  await withDir((dir) => {
    const path = `${dir}/t.db`;
    openDatabase(path).close();
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    throws(() => openDatabase(path), {
      message:
        `Cannot open ticket store "${path}": it has schema version ${
          SCHEMA_VERSION + 1
        }, newer than version ${SCHEMA_VERSION} that this sqlite-tickets plugin reads; upgrade ` +
        "the plugin or pass another path",
    });
  });
});

Deno.test("openDatabase() creates the schema once, in WAL mode, and a missing directory", async () => {
  await withDir((dir) => {
    const path = `${dir}/nested/data/t.db`;
    const db = openDatabase(path);
    try {
      strictEqual(db.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION);
      strictEqual(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
      db.exec("INSERT INTO tickets (id, updated_at) VALUES ('x', '2024-01-01T00:00:00.000Z')");
    } finally {
      db.close();
    }
    const again = openDatabase(path);
    try {
      strictEqual(again.prepare("SELECT count(*) AS n FROM tickets").get()?.n, 1);
    } finally {
      again.close();
    }
  });
});

Deno.test("openDatabase() takes an empty file, as another process's open leaves it, as new", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/t.db`;
    await Deno.writeFile(path, new Uint8Array());
    const db = openDatabase(path);
    try {
      strictEqual(db.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION);
      strictEqual(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
    } finally {
      db.close();
    }
  });
});

Deno.test("openDatabase() refuses an empty path", () => {
  throws(() => openDatabase(""), { name: "TypeError", message: /path must be a non-empty/ });
});

Deno.test("storeError() explains SQLite errors and passes others through", async (t) => {
  const sqlite = (errcode: number, message: string) =>
    Object.assign(new Error(message), { code: "ERR_SQLITE_ERROR", errcode });
  const cases: [string, number, string, RegExp][] = [
    [
      "read-only file",
      8,
      "attempt to write a readonly database",
      /the file is not writable .*; make it writable/,
    ],
    [
      "read-only directory",
      1544,
      "attempt to write a readonly database",
      /its directory is not writable .*journal files beside the db file/,
    ],
    [
      "cannot open",
      14,
      "unable to open database file",
      /SQLite cannot open or create it .*check that its directory exists/,
    ],
    [
      "corrupt",
      11,
      "database disk image is malformed",
      /the file is corrupt .*restore it from a backup or pass a new path/,
    ],
    ["locked", 5, "database is locked", /another process holds a lock on it/],
  ];
  for (const [name, code, message, expected] of cases) {
    await t.step(name, () => {
      const e = storeError(sqlite(code, message), { path: "d/t.db", action: "write" });
      match(e.message, /^Cannot write ticket store "d\/t\.db": /);
      match(e.message, expected);
    });
  }
  await t.step("a permission denial passes unchanged, for the host to explain", () => {
    const denied = new Deno.errors.NotCapable('Requires read access to "/x"');
    strictEqual(storeError(denied, { path: "t.db", action: "open" }), denied);
  });
});
