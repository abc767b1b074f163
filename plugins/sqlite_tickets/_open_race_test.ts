import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { TicketStore } from "./_store.ts";

const ROUNDS = 5;
const PROCESSES = 4;

/** What a child process reports: the open worked, or the error it threw. */
type Outcome = { ok: true } | { ok: false; error: string };

/**
 * The child: loads the store module, says "ready", waits for one byte on stdin (the start
 * signal), opens the store at its first argument, reads from it and prints the outcome as JSON.
 */
const CHILD = `
import { TicketStore } from ${JSON.stringify(new URL("./_store.ts", import.meta.url).href)};
await Deno.stdout.write(new TextEncoder().encode("ready\\n"));
await Deno.stdin.read(new Uint8Array(1));
let outcome;
try {
  using store = new TicketStore(Deno.args[0]);
  store.search({ limit: 1 });
  outcome = { ok: true };
} catch (e) {
  outcome = { ok: false, error: e instanceof Error ? e.message : String(e) };
}
console.log(JSON.stringify(outcome));
`;

/** A child process that has loaded the store module and waits for the start signal. */
interface Opener {
  start(): Promise<void>;
  outcome(): Promise<Outcome>;
}

async function spawnOpener(script: string, path: string): Promise<Opener> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname),
      "--no-lock",
      "--cached-only",
      "--no-check",
      "-A",
      script,
      path,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await stdout.read();
    if (done) break;
    text += value;
  }
  const stdin = child.stdin.getWriter();
  return {
    async start() {
      try {
        await stdin.write(new Uint8Array([1]));
        await stdin.close();
      } catch {
        // The child has already exited; outcome() reports why.
      }
    },
    async outcome() {
      for (let r = await stdout.read(); !r.done; r = await stdout.read()) text += r.value;
      const [status, errors] = await Promise.all([child.status, stderr]);
      const lines = text.trim().split("\n");
      if (!status.success || lines[0] !== "ready" || lines.length !== 2) {
        return { ok: false, error: `child exited with ${status.code}: ${text}${errors}` };
      }
      return JSON.parse(lines[1]!) as Outcome;
    },
  };
}

Deno.test("TicketStore() opens a new file that several processes create at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "otai-sqlite-race-" });
  try {
    const script = `${dir}/open.ts`;
    await Deno.writeTextFile(script, CHILD);
    for (let round = 0; round < ROUNDS; round++) {
      const path = `${dir}/round-${round}/tickets.db`;
      await Deno.mkdir(`${dir}/round-${round}`);
      const openers = await Promise.all(
        Array.from({ length: PROCESSES }, () => spawnOpener(script, path)),
      );
      await Promise.all(openers.map((o) => o.start()));
      const outcomes = await Promise.all(openers.map((o) => o.outcome()));
      deepStrictEqual(outcomes, outcomes.map(() => ({ ok: true })), `round ${round}`);

      const db = new DatabaseSync(path);
      try {
        strictEqual(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
        db.exec(
          "INSERT INTO tickets (id, subject, updated_at) " +
            "VALUES ('race', 'Raced', '2024-01-01T00:00:00.000Z')",
        );
      } finally {
        db.close();
      }
      using store = new TicketStore(path);
      strictEqual(store.get("race")?.subject, "Raced");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
