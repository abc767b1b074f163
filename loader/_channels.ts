import type { HostMessage, SandboxMessage } from "./_protocol.ts";
import { FrameError, readFrames, writeFrame } from "./_frames.ts";
import { errorLine } from "./_deno_stderr.ts";
import { PluginServer } from "./_plugin_server.ts";
import type { WorkerPermissions } from "./sandbox.ts";

/** One life of a plugin's code, however it is confined. */
export interface Channel {
  /** Sends a batch to the plugin side. */
  post(batch: HostMessage[]): void;
  /** Stops the plugin's code. */
  terminate(): void;
}

/** What a channel reports to its sandbox. */
export interface ChannelEvents {
  /** A batch from the plugin side. */
  message(batch: SandboxMessage[]): void;
  /** The plugin side died; `reason` says how. */
  exit(reason: string): void;
}

/** How to start a plugin's code. */
export interface ChannelOptions {
  /** The plugin module specifier. */
  url: string;
  /** Its effective permissions. */
  permissions: WorkerPermissions;
  /** Largest result in bytes. */
  maxResultBytes: number;
  /** For process isolation: V8 heap limit in MB. */
  memoryMb?: number;
  /** For process isolation: flags deciding module resolution (import map, config). */
  denoArgs?: string[];
  /** For process isolation: where the subprocess starts. */
  cwd?: string;
}

function entrySource(runtime: string, url: string, maxResultBytes: number): string {
  return `import { start } from ${JSON.stringify(runtime)};\n` +
    `import * as mod from ${JSON.stringify(url)};\n` +
    `start(mod, ${JSON.stringify({ maxResultBytes })});\n`;
}

/** A Worker under Deno's permission options (the default isolation). */
export function workerChannel(options: ChannelOptions, events: ChannelEvents): Channel {
  const runtime = new URL("./_worker_main.ts", import.meta.url).href;
  const source = entrySource(runtime, options.url, options.maxResultBytes);
  const worker = new Worker(`data:application/javascript,${encodeURIComponent(source)}`, {
    type: "module",
    name: options.url,
    deno: { permissions: options.permissions },
  });
  worker.onmessage = (e: MessageEvent<SandboxMessage[]>) => events.message(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    events.exit(e.message.replace(/^Uncaught (\(in promise\) )?/, ""));
  };
  return { post: (batch) => worker.postMessage(batch), terminate: () => worker.terminate() };
}

/** A Deno subprocess with `--allow-*` flags from the permissions and a V8 heap limit. */
export function processChannel(options: ChannelOptions, events: ChannelEvents): Channel {
  const runtime = new URL("./_process_main.ts", import.meta.url).href;
  const source = entrySource(runtime, options.url, options.maxResultBytes);
  const args = [
    "run",
    ...permissionFlags(options.permissions, runtime),
    ...(options.denoArgs ?? []),
  ];
  if (options.memoryMb) args.push(`--v8-flags=--max-old-space-size=${options.memoryMb}`);
  args.push(`data:application/javascript,${encodeURIComponent(source)}`);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.cwd ? { cwd: options.cwd } : {}),
    // The environment is inherited: the plugin reads only the variables --allow-env grants.
    env: { NO_COLOR: "1" },
  }).spawn();
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
  (async () => {
    try {
      for await (
        const batch of readFrames<SandboxMessage[]>(
          child.stdout,
          options.maxResultBytes + 1_000_000,
        )
      ) {
        events.message(batch);
      }
    } catch (e) {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      end(e instanceof FrameError ? e.message : `lost the plugin process: ${(e as Error).message}`);
    }
  })();
  child.status.then((status) => {
    if (/out of memory|heap limit|allocation failed/i.test(stderr)) {
      end(`exceeded memory limit (${options.memoryMb ?? "default"} MB)`);
    } else {
      const last = errorLine(stderr);
      end(
        `the plugin process exited (${status.signal ?? `code ${status.code}`})${
          last ? `: ${last}` : ""
        }`,
      );
    }
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
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    },
  };
}

/** The plugin's code in the host process (`isolation: none`, trusted plugins only). */
export async function localChannel(
  options: ChannelOptions,
  events: ChannelEvents,
): Promise<Channel> {
  let alive = true;
  const server = new PluginServer((batch) => {
    if (alive) queueMicrotask(() => alive && events.message(batch));
  }, { maxResultBytes: options.maxResultBytes, rawFields: false });
  server.start(await import(options.url));
  return {
    post: (batch) => queueMicrotask(() => alive && server.receive(batch)),
    terminate: () => {
      alive = false;
    },
  };
}

/** `--allow-*` flags for exactly these permissions (and import of otai's own runtime). */
export function permissionFlags(p: WorkerPermissions, runtime: string): string[] {
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
