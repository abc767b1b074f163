import { commandLine } from "../loader/host_flags.ts";

const WORKER_OPTIONS = "--unstable-worker-options";
const CACHED_ONLY = "--cached-only";
const MARK = "OTAI_SANDBOX_REEXEC";

/**
 * Worker sandboxes need Deno's `--unstable-worker-options`, which a remote main module
 * (`deno run -A jsr:@otai/cli`) does not get from any deno.json, and a host that runs
 * `--cached-only`, so that their module loader fetches nothing. When a config has a Worker
 * plugin and the flags are missing, otai runs itself again with them added to the same command
 * line (its own modules are in the cache by then).
 *
 * @param needsCachedOnly Whether a plugin of the config runs in a Worker sandbox.
 * @returns The child's exit code when it re-ran itself, or undefined to go on in this process.
 */
export async function reexecWithWorkerOptions(
  needsCachedOnly = false,
): Promise<number | undefined> {
  if (Deno.env.get(MARK)) {
    exitWithParent();
    return undefined;
  }
  // Only Worker sandboxes need either flag: a config without them starts in this process.
  const missing = needsCachedOnly ? [WORKER_OPTIONS, CACHED_ONLY].filter((f) => !hasFlag(f)) : [];
  if (!missing.length) return undefined;
  const argv = commandLine();
  let args: string[];
  const run = argv.indexOf("run");
  if (run >= 1 && run <= 2) args = [...argv.slice(1, run + 1), ...missing, ...argv.slice(run + 1)];
  else if (argv.length === 0 && hasAll()) {
    args = ["run", "-A", ...missing, Deno.mainModule, ...Deno.args];
  } // The command line cannot be read, and this process does not hold every permission: running
  // again with -A would widen them. Go on; if the flag is missing, Deno says so itself.
  else return undefined;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { [MARK]: "1" },
    // The child's stdin is a pipe from this process: when this process dies (even by SIGKILL),
    // the pipe closes and the child stops too, instead of running on as an orphan.
    stdin: "piped",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => child.kill(signal);
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  const { code } = await child.status;
  for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  return code;
}

/** Whether this process holds every permission (as with -A), so a re-run with -A widens nothing. */
function hasAll(): boolean {
  const names = ["read", "write", "net", "env", "run", "sys", "ffi", "import"] as const;
  return names.every((name) => Deno.permissions.querySync({ name }).state === "granted");
}

/** In a re-run child: stop at once when the parent's end of stdin closes. */
function exitWithParent(): void {
  (async () => {
    try {
      for await (const _ of Deno.stdin.readable) { /* the parent writes nothing */ }
    } catch { /* closed */ }
    Deno.exit(137);
  })();
}

/** Whether Deno itself got a flag (not the script: its arguments are `Deno.args`). */
function hasFlag(flag: string): boolean {
  const argv = commandLine();
  return argv.slice(0, argv.length - Deno.args.length).some((a) => a === flag);
}
