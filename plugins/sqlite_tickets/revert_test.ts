import { match, strictEqual } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { TicketStore } from "./_store.ts";

const SCRIPT = fileURLToPath(new URL("./revert.ts", import.meta.url));

/** Runs revert.ts as its README says, granting read and write on `dir` only. */
async function revert(dir: string, args: string[], options: { asUser?: number } = {}) {
  const deno = [
    "run",
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
    SCRIPT,
    ...args,
  ];
  const [cmd, cmdArgs] = options.asUser === undefined ? [Deno.execPath(), deno] : [
    "setpriv",
    [
      `--reuid=${options.asUser}`,
      `--regid=${options.asUser}`,
      "--clear-groups",
      Deno.execPath(),
      ...deno,
    ],
  ];
  const out = await new Deno.Command(cmd, {
    args: cmdArgs,
    cwd: dir,
    env: { NO_COLOR: "1", DENO_DIR: `${dir}/.deno`, HOME: dir },
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

async function withStore(fn: (dir: string, path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "otai-revert-cli-" });
  const path = `${dir}/tickets.db`;
  try {
    {
      using store = new TicketStore(path, { actor: "bot" });
      await Deno.writeTextFile(`${dir}/in.csv`, "id,subject,queue\n1,Printer,IT\n2,VPN,IT\n");
      await store.importFile(`${dir}/in.csv`);
      store.update("1", { queue: "Hardware", priority: "high" }, { run: "r1" });
      store.update("2", { state: "closed" }, { run: "r2" });
    }
    await fn(dir, path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("revert.ts undoes a run and prints what it did", async () => {
  await withStore(async (dir, path) => {
    const r = await revert(dir, [path, "--run", "r1"]);
    strictEqual(r.code, 0, r.stderr);
    match(
      r.stdout,
      /^Reverted 2 changes of run "r1" on 1 ticket; recorded as run "revert-\d{8}T\d{6}Z-[0-9a-f]{6}"\n$/,
    );
    using store = new TicketStore(path);
    strictEqual(store.get("1")!.queue, "IT");
    strictEqual(store.get("2")!.state, "closed", "other runs stay");
    strictEqual(store.history({ limit: 1 })[0]!.actor, "otai-revert");
  });
});

Deno.test("revert.ts without --run lists the latest runs", async () => {
  await withStore(async (dir, path) => {
    const r = await revert(dir, [path]);
    strictEqual(r.code, 0, r.stderr);
    match(
      r.stdout,
      /^Latest runs \(newest first\); undo one with --run <id>:\n {2}r2 {2}1 change {2}/,
    );
    match(r.stdout, /\n {2}r1 {2}2 changes {2}/);
  });
});

Deno.test("revert.ts reports usage and store errors with exit codes 2 and 1", async () => {
  await withStore(async (dir) => {
    const usage = await revert(dir, ["--run", "r1"]);
    strictEqual(usage.code, 2);
    match(usage.stderr, /^Pass the db file\n\nUsage: revert\.ts <db file>/);
    await Deno.writeTextFile(`${dir}/notes.db`, "plain text, not a database\n".repeat(50));
    const bad = await revert(dir, [`${dir}/notes.db`, "--run", "r1"]);
    strictEqual(bad.code, 1);
    match(bad.stderr, /is not an otai ticket store \(file is not a database\); pass a new path/);
    const none = await revert(dir, [`${dir}/tickets.db`, "--run", "r9"]);
    strictEqual(none.code, 1);
    match(none.stderr, /^Nothing to revert: no changes of run "r9" are recorded; leave out --run/);
  });
});

const ROOT = Deno.build.os === "linux" && Deno.uid() === 0;
const HAS_SETPRIV = ROOT &&
  (await new Deno.Command("setpriv", { args: ["--version"], stdout: "null", stderr: "null" })
    .output().then((o) => o.success, () => false));

Deno.test({
  name: "revert.ts explains a db file the user cannot write",
  ignore: ROOT && !HAS_SETPRIV,
  async fn() {
    await withStore(async (dir, path) => {
      // Root writes any file, so as root the script runs as "nobody"; the dir stays writable.
      await Deno.chmod(dir, 0o777);
      await Deno.chmod(path, 0o444);
      const r = await revert(dir, [path, "--run", "r1"], ROOT ? { asUser: 65534 } : {});
      strictEqual(r.code, 1, r.stdout);
      match(
        r.stderr,
        /^Cannot open ticket store ".*tickets\.db": the file is not writable \(attempt to write a readonly database\); make it writable for the user running otai or pass another path\n$/,
      );
      await Deno.chmod(path, 0o644);
    });
  },
});
