/**
 * Locks a sandbox down before any plugin code runs. Deno's permissions confine files, network,
 * environment and subprocesses; these close what they leave open between plugins that share a
 * process or a terminal with the host: the working directory, stdio, signals, the environment's
 * writers, storage and broadcast channels, Deno's internals, and nested Workers that would start
 * without these locks. Each is replaced by a stub that throws a message saying what to do
 * instead, and cannot be restored (the originals are not reachable from plugin code).
 *
 * @module
 */

/** Where console output and stdout/stderr writes of plugin code go. */
export type GuestLog = (level: "debug" | "info" | "warning" | "error", message: string) => void;

const LOCKED = { configurable: false, enumerable: false } as const;

/**
 * Locks the sandbox down. Call it first in a guest entry, after taking what the entry itself
 * needs (its stdin and stdout in a subprocess).
 *
 * @param log Receives console output and writes to stdout or stderr.
 */
export function hardenGuest(log: GuestLog): void {
  const refuse = (what: string, instead: string) => () => {
    throw new Error(`${what} is not allowed in a plugin; ${instead}`);
  };
  const deno = Deno as unknown as Record<string | symbol, unknown>;
  const internal = deno.internal as symbol | undefined;
  if (internal !== undefined) delete deno[internal];
  delete deno.internal;
  lock(Deno, "exit", refuse("Deno.exit()", "throw an error to fail the step"));
  lock(globalThis, "close", refuse("close()", "throw an error to fail the step"));
  lock(
    Deno,
    "chdir",
    refuse("Deno.chdir()", "use absolute paths (relative ones mean the config's directory)"),
  );
  lock(Deno, "umask", refuse("Deno.umask()", "set file modes when you create files"));
  lock(Deno, "addSignalListener", refuse("Deno.addSignalListener()", "use ctx.signal"));
  lock(Deno, "removeSignalListener", refuse("Deno.removeSignalListener()", "use ctx.signal"));
  lock(Deno.env, "set", refuse("Deno.env.set()", "pass values through params"));
  lock(Deno.env, "delete", refuse("Deno.env.delete()", "pass values through params"));
  lock(Deno, "stdin", stdin());
  lock(Deno, "stdout", writer(log, "info"));
  lock(Deno, "stderr", writer(log, "warning"));
  lock(globalThis, "console", consoleTo(log));
  for (const name of ["localStorage", "sessionStorage", "caches"]) {
    unavailable(name, "keep state in a service, or in a file under a granted path");
  }
  unavailable("BroadcastChannel", "plugins talk to each other through injected services");
  const RealWorker = globalThis.Worker;
  if (typeof RealWorker === "function") lock(globalThis, "Worker", guardedWorker(RealWorker));
}

function lock(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: false, ...LOCKED });
}

function unavailable(name: string, instead: string): void {
  if (!(name in globalThis)) return;
  Object.defineProperty(globalThis, name, {
    get() {
      throw new Error(`${name} is not available in a plugin; ${instead}`);
    },
    ...LOCKED,
  });
}

function text(args: unknown[]): string {
  return args.map((a) => (typeof a === "string" ? a : Deno.inspect(a))).join(" ");
}

function consoleTo(log: GuestLog): Console {
  const to = (level: Parameters<GuestLog>[0]) => (...args: unknown[]) => log(level, text(args));
  const info = to("info");
  const methods = {
    log: info,
    info,
    debug: to("debug"),
    trace: to("debug"),
    warn: to("warning"),
    error: to("error"),
    dir: (v: unknown) => info(v),
    dirxml: info,
    table: (v: unknown) => info(v),
    assert(condition: unknown, ...args: unknown[]) {
      if (!condition) log("error", `Assertion failed${args.length ? `: ${text(args)}` : ""}`);
    },
  };
  const noop = () => {};
  for (const name of ["group", "groupCollapsed", "groupEnd", "time", "timeEnd", "timeLog"]) {
    (methods as Record<string, unknown>)[name] = noop;
  }
  for (const name of ["count", "countReset", "clear", "profile", "profileEnd", "timeStamp"]) {
    (methods as Record<string, unknown>)[name] = noop;
  }
  // Not frozen: node:process binds its streams onto the console object.
  return methods as unknown as Console;
}

function writer(log: GuestLog, level: "info" | "warning"): unknown {
  const decoder = new TextDecoder();
  const write = (p: Uint8Array) => {
    log(level, decoder.decode(p).replace(/\n$/, ""));
    return p.length;
  };
  // Not frozen: node:process wraps these and keeps state on them.
  return {
    rid: -1,
    write: (p: Uint8Array) => Promise.resolve(write(p)),
    writeSync: write,
    writable: new WritableStream<Uint8Array>({ write: (chunk) => void write(chunk) }),
    isTerminal: () => false,
    close() {},
  };
}

function stdin(): unknown {
  const refuse = () => {
    throw new Error("stdin is not available in a plugin; pass input through params");
  };
  return {
    rid: -1,
    read: refuse,
    readSync: refuse,
    setRaw: refuse,
    get readable(): ReadableStream<Uint8Array> {
      return refuse();
    },
    isTerminal: () => false,
    close() {},
  };
}

/**
 * The locks for a Worker that plugin code starts, as source to run before its module: the same
 * as its plugin's, with its console and stdio output dropped (only the plugin's own sandbox may
 * log to the host), and no Workers of its own.
 */
const NESTED_LOCKDOWN = `{
const deno = Deno, sym = deno.internal;
if (sym !== undefined) delete deno[sym];
delete deno.internal;
const lock = (o, k, v) => Object.defineProperty(o, k, { value: v, writable: false, configurable: false });
const refuse = (what) => () => { throw new Error(what + " is not allowed in a plugin"); };
for (const k of ["exit", "chdir", "umask", "addSignalListener", "removeSignalListener"]) lock(deno, k, refuse("Deno." + k + "()"));
lock(deno.env, "set", refuse("Deno.env.set()"));
lock(deno.env, "delete", refuse("Deno.env.delete()"));
const drop = ({ rid: -1, write: async (p) => p.length, writeSync: (p) => p.length, isTerminal: () => false, close() {},
  writable: new WritableStream(), read: refuse("stdin"), readSync: refuse("stdin"), setRaw: refuse("stdin") });
for (const k of ["stdin", "stdout", "stderr"]) lock(deno, k, drop);
const quiet = {};
for (const k of Object.keys(console)) quiet[k] = () => {};
lock(globalThis, "console", quiet);
for (const k of ["localStorage", "sessionStorage", "caches", "BroadcastChannel", "Worker"]) {
  if (k in globalThis) Object.defineProperty(globalThis, k, { get: refuse(k), configurable: false });
}
}`;

/** Workers a plugin starts run the nested locks before their own module. */
function guardedWorker(RealWorker: typeof Worker): typeof Worker {
  return class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const target = new URL(String(url), import.meta.url).href;
      const source = `${NESTED_LOCKDOWN}\nawait import(${JSON.stringify(target)});\n`;
      super(`data:application/javascript,${encodeURIComponent(source)}`, options);
    }
  };
}
