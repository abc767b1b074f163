import type { PermissionSet } from "../../core/contract.ts";
import { FrameError, readFrames, writeFrame } from "./_frames.ts";
import { errorLine } from "../deno_stderr.ts";
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
  (async () => {
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr = (stderr + text).slice(-4000);
    }
  })().catch(() => {});
  readReplies(child, options.maxResultBytes + 1_000_000, events, end);
  child.status.then((status) => {
    if (/out of memory|heap limit|allocation failed/i.test(stderr)) {
      end(`exceeded memory limit (${options.memoryMb ?? "default"} MB)`);
      return;
    }
    const last = errorLine(stderr);
    const how = status.signal ?? `code ${status.code}`;
    end(`the plugin process exited (${how})${last ? `: ${last}` : ""}`);
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
  const runtime = new URL("./guest/process_main.ts", import.meta.url).href;
  const source = entrySource(runtime, options.url, options.maxResultBytes);
  const args = [
    "run",
    ...permissionFlags(options.permissions, runtime),
    ...(options.denoArgs ?? []),
  ];
  if (options.memoryMb) args.push(`--v8-flags=--max-old-space-size=${options.memoryMb}`);
  args.push(`data:application/javascript,${encodeURIComponent(source)}`);
  return new Deno.Command(Deno.execPath(), {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd ? { cwd: options.cwd } : {}),
    // The environment is inherited: the plugin reads only the variables --allow-env grants.
    env: { NO_COLOR: "1" },
  }).spawn();
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

/** `--allow-*` flags for exactly these permissions (and import of otai's own runtime). */
export function permissionFlags(p: PermissionSet, runtime: string): string[] {
  const flags: string[] = [];
  for (const [name, value] of Object.entries(p)) {
    let v = value;
    if (name === "import" && /^https?:/.test(runtime)) {
      const own = new URL(runtime).host;
      v = v === true ? true : [...(Array.isArray(v) ? v : []), own];
    }
    if (v === true) flags.push(`--allow-${name}`);
    else if (Array.isArray(v) && v.length) flags.push(`--allow-${name}=${v.join(",")}`);
    // Deno allows imports from a few well-known hosts by default; a plugin gets none of them.
    else if (name === "import") flags.push("--deny-import");
  }
  return flags;
}
