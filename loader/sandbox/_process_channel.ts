import type { PermissionSet } from "../../core/contract.ts";
import { FrameError, readFrames, writeFrame } from "./_frames.ts";
import { errorLine } from "../deno_stderr.ts";
import { denoDir } from "../host_paths.ts";
import { PROCESS_MAIN } from "./_guest_runtime.ts";
import { type Channel, type ChannelEvents, type ChannelOptions, entrySource } from "./_channel.ts";

/** A Deno subprocess with `--allow-*` flags from the permissions and a V8 heap limit. */
export function processChannel(options: ChannelOptions, events: ChannelEvents): Channel {
  const child = spawn(options);
  const stdin = child.stdin.getWriter();
  let stderr = "";
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    events.exit(reason);
  };
  const errors = (async () => {
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr = (stderr + text).slice(-4000);
    }
  })().catch(() => {});
  const replies = readReplies(child, options.maxResultBytes + 1_000_000, events, end);
  child.status.then(async (status) => {
    if (ended) return; // stopped by the host, which needs no reason
    // What it wrote before it exited (the error of a failed import, say) is read first.
    await drained([replies, errors]);
    // What the process printed may be the plugin's own words (an uncaught error's message): it
    // is believed only where V8 itself speaks (a fatal line of its own, and death by a signal),
    // and otherwise quoted as the plugin's last error, never given as otai's reason.
    // V8 ends a process that ran out of heap with SIGTRAP, which plugin code cannot send itself
    // without a run grant (process.abort() is SIGABRT).
    if (status.signal === "SIGTRAP" && V8_OUT_OF_MEMORY.test(stderr)) {
      end(`exceeded memory limit (${options.memoryMb ?? "default"} MB)`);
      return;
    }
    const last = errorLine(stderr).slice(0, 300);
    const how = status.signal ?? `code ${status.code}`;
    end(
      `the plugin process exited (${how})${last ? `; its last error: «${last}»` : ""}`,
    );
  });
  const writer = {
    writeSync(p: Uint8Array) {
      stdin.write(p.slice()).catch(() => end("the plugin process stopped reading"));
      return p.length;
    },
  };
  return {
    post: (batch) => writeFrame(writer, batch),
    terminate() {
      ended = true;
      stdin.close().catch(() => {});
      kill(child);
    },
  };
}

function spawn(options: ChannelOptions): Deno.ChildProcess {
  const runtime = PROCESS_MAIN;
  const source = entrySource(runtime, options.url, options.maxResultBytes);
  const args = [
    "run",
    // Only the vetted graph, already in the cache, can be loaded: nothing is fetched.
    "--cached-only",
    "--no-prompt",
    // The graph was vetted and hashed by otai; the project's lockfile is not the sandbox's.
    "--no-lock",
    ...permissionFlags(options.permissions, runtime),
    ...(options.denoArgs ?? []),
  ];
  if (options.memoryMb) args.push(`--v8-flags=--max-old-space-size=${options.memoryMb}`);
  args.push(`data:application/javascript,${encodeURIComponent(source)}`);
  const [program, ...prefix] = memoryCap(options.memoryMb);
  return new Deno.Command(program ?? Deno.execPath(), {
    args: [...prefix, ...(program ? [Deno.execPath()] : []), ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd ? { cwd: options.cwd } : {}),
    // Only what Deno needs to find its cache and the plugin may read: no other variable of the
    // host (tokens for private registries included) reaches the plugin's process.
    clearEnv: true,
    env: sandboxEnv(options.env ?? {}),
  }).spawn();
}

/** How V8 says it ran out of memory: a line of its own, not inside an error message. */
const V8_OUT_OF_MEMORY =
  /^(#\s*)?(Fatal (JavaScript|process) out of memory|FATAL ERROR: .*heap out of memory)/m;

/**
 * What a sandbox gets of the host's environment besides its grant: where Deno's cache and
 * registries are, and what every process has (the programs a `run` grant names need a `PATH`).
 * The plugin can read none of them without an `env` grant.
 */
const PASSED_ON = ["DENO_DIR", "JSR_URL", "NPM_CONFIG_REGISTRY", "PATH", "HOME", "LANG", "TZ"];

function sandboxEnv(granted: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  for (const name of PASSED_ON) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  env.DENO_DIR ??= denoDir();
  return { ...env, ...granted };
}

/**
 * The operating system's cap on a sandbox's memory, as a command prefix: `prlimit` bounds its
 * data segment (where ArrayBuffers live, beyond V8's heap) to `memoryMb` plus what Deno itself
 * reserves. Empty when there is no limit or no `prlimit`.
 */
function memoryCap(memoryMb: number | undefined): string[] {
  if (!memoryMb || !PRLIMIT) return [];
  return [PRLIMIT, `--data=${(memoryMb + RUNTIME_RESERVE_MB) * 1024 * 1024}`, "--"];
}

/** Address space Deno reserves for itself at start, on top of a plugin's own memory. */
const RUNTIME_RESERVE_MB = 640;

const PRLIMIT = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});

/**
 * Waits until the process's pipes are read to their end, or 5 s: a program the plugin started
 * (with a `run` grant) may hold them open after the plugin's own process is gone.
 */
async function drained(readers: Promise<void>[]): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => timer = setTimeout(resolve, 5000));
  await Promise.race([Promise.all(readers), late]);
  clearTimeout(timer);
}

/** Hands every frame the process writes to `events`; a broken frame stops the process. */
async function readReplies(
  child: Deno.ChildProcess,
  maxBytes: number,
  events: ChannelEvents,
  end: (reason: string) => void,
): Promise<void> {
  try {
    for await (const batch of readFrames<unknown>(child.stdout, maxBytes)) {
      events.message(batch);
    }
  } catch (e) {
    kill(child);
    end(e instanceof FrameError ? e.message : `lost the plugin process: ${(e as Error).message}`);
  }
}

function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch { /* already gone */ }
}

/** The hosts Deno lets any program import from unless told otherwise. */
const DEFAULT_IMPORT_HOSTS = [
  "deno.land",
  "jsr.io",
  "esm.sh",
  "cdn.jsdelivr.net",
  "raw.githubusercontent.com",
  "gist.githubusercontent.com",
];

/**
 * `--allow-*` flags for exactly these permissions (and import of otai's own runtime). Deno's
 * default import hosts are denied by name unless granted, since an allow list alone does not
 * clear them.
 */
export function permissionFlags(p: PermissionSet, runtime: string): string[] {
  const flags: string[] = [];
  for (const [name, value] of Object.entries(p)) {
    let v = value;
    if (name === "import") {
      if (/^https?:/.test(runtime)) {
        const own = new URL(runtime).host;
        v = v === true ? true : [...(Array.isArray(v) ? v : []), own];
      }
      if (v !== true) {
        const allowed = Array.isArray(v) ? v : [];
        if (allowed.length) flags.push(`--allow-import=${allowed.join(",")}`);
        const denied = DEFAULT_IMPORT_HOSTS.filter((h) =>
          !allowed.some((a) => a.split(":")[0] === h)
        );
        flags.push(allowed.length ? `--deny-import=${denied.join(",")}` : "--deny-import");
        continue;
      }
    }
    if (v === true) flags.push(`--allow-${name}`);
    else if (Array.isArray(v) && v.length) flags.push(`--allow-${name}=${v.join(",")}`);
  }
  return flags;
}
