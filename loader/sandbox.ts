import type { HostMessage, ManifestDescription, SandboxMessage } from "./_protocol.ts";
import type { PipeOutcome, PluginRuntime, RunInput, WireError } from "../core/registry.ts";
import { withRawFields } from "../core/raw_json.ts";
import {
  type Channel,
  type ChannelEvents,
  localChannel,
  processChannel,
  workerChannel,
} from "./_channels.ts";

/** Deno's permission options for a sandbox, every kind spelled out. */
export type WorkerPermissions = Record<
  "net" | "read" | "write" | "env" | "run" | "sys" | "ffi" | "import",
  boolean | string[]
>;

/** How a plugin's code is confined. */
export type Isolation = "worker" | "process" | "none";

/** A call from sandbox code to a service, for the host to route. */
export interface ServiceCall {
  /** The run or creation the call came from (negative for creations). */
  origin: number;
  /** The target service id. */
  instance: string;
  /** The method name. */
  method: string;
  /** The arguments, already cloned. */
  args: unknown[];
}

/** Options for {@linkcode PluginSandbox.start}. */
export interface SandboxOptions {
  /** The plugin module specifier. */
  url: string;
  /** Deno permissions of the sandbox. */
  permissions: WorkerPermissions;
  /** Worker (default), subprocess, or in the host (trusted plugins only). */
  isolation?: Isolation;
  /** For process isolation: the V8 heap limit in MB. */
  memoryMb?: number;
  /** The largest result in bytes; default 64 MB. */
  maxResultBytes?: number;
  /** For process isolation: module resolution flags and working directory. */
  denoArgs?: string[];
  /** For process isolation: where the subprocess starts. */
  cwd?: string;
  /** A record the plugin logged. */
  onLog?: (level: "debug" | "info" | "warning" | "error", message: string, props?: object) => void;
  /** A service call the plugin made; resolve with the value or reject with the error. */
  onCall?: (call: ServiceCall) => Promise<unknown>;
  /** The sandbox died after it started (crash, memory limit, stuck after a timeout). */
  onExit?: (reason: string) => void;
  /** How long loading may take; default 30 s. */
  loadTimeoutMs?: number;
  /** How long a pipe may go on after its timeout before the sandbox is stopped; default 2 s. */
  killAfterMs?: number;
}

type Done = Extract<SandboxMessage, { t: "done" }>;

/** The error name of a request that a stopped sandbox never received (safe to send again). */
export const NOT_SENT = "NotSent";

/** One life of a plugin's code, confined by its isolation mode under its own permissions. */
export class PluginSandbox implements PluginRuntime {
  #channel!: Channel;
  #outbox: HostMessage[] = [];
  #pending = new Map<number, (m: Done) => void>();
  #nextId = 1;
  #dead: string | undefined;
  #options: SandboxOptions;
  #scopes = new Set<number>();
  /** Requests held back while a timed-out pipe may still be running (see `run`). */
  #held: (HostMessage & { id: number })[] | undefined;
  /** Runs currently in flight, with the service ids each may call. */
  readonly grants: Map<number, ReadonlySet<string>> = new Map();

  private constructor(options: SandboxOptions) {
    this.#options = options;
  }

  /**
   * Starts the plugin's code under `permissions` and waits for its manifest.
   *
   * @throws {Error} With the module's own load error or "did not finish loading" after the
   * timeout; {@linkcode InvalidManifestError} when the default export is not a manifest.
   */
  static async start(
    options: SandboxOptions,
  ): Promise<{ sandbox: PluginSandbox; manifest: ManifestDescription }> {
    const sandbox = new PluginSandbox(options);
    const loadTimeoutMs = options.loadTimeoutMs ?? 30_000;
    let settle!: (r: { manifest?: ManifestDescription; error?: Error }) => void;
    const loaded = new Promise<{ manifest?: ManifestDescription; error?: Error }>((r) =>
      settle = r
    );
    let ready = false;
    const events: ChannelEvents = {
      message(batch) {
        if (ready) return sandbox.#receive(batch);
        const first = batch[0];
        if (first?.t === "ready") {
          ready = true;
          settle({ manifest: first.manifest });
          if (batch.length > 1) sandbox.#receive(batch.slice(1));
        } else if (first?.t === "crash") {
          settle({
            error: Object.assign(new Error(first.error.message), { name: first.error.name }),
          });
        } else if (first?.t === "invalid") {
          settle({ error: new InvalidManifestError(first.problems, first.manifest) });
        }
      },
      exit(reason) {
        if (!ready) settle({ error: new Error(reason) });
        else sandbox.#died(reason);
      },
    };
    const channelOptions = {
      url: options.url,
      permissions: options.permissions,
      maxResultBytes: options.maxResultBytes ?? 64_000_000,
      ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
      ...(options.denoArgs ? { denoArgs: options.denoArgs } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    };
    const timer = setTimeout(
      () =>
        settle({ error: new Error(`the module did not finish loading in ${loadTimeoutMs} ms`) }),
      loadTimeoutMs,
    );
    try {
      sandbox.#channel = options.isolation === "process"
        ? processChannel(channelOptions, events)
        : options.isolation === "none"
        ? await localChannel(channelOptions, events)
        : workerChannel(channelOptions, events);
    } catch (e) {
      settle({ error: e as Error });
    }
    const result = await loaded;
    clearTimeout(timer);
    if (result.error) {
      sandbox.#channel?.terminate();
      sandbox.#dead = result.error.message;
      throw result.error;
    }
    return { sandbox, manifest: result.manifest! };
  }

  /** Why the sandbox stopped, or undefined while it runs. */
  get deadReason(): string | undefined {
    return this.#dead;
  }

  /** Creates a service instance inside the sandbox. */
  async create(
    instance: string,
    name: string,
    params: unknown,
    services: Record<string, string>,
  ): Promise<void> {
    const id = this.#nextId++;
    this.grants.set(-id, new Set(Object.values(services)));
    const done = await this.#request({ t: "create", id, name, instance, params, services });
    if (done.status === "fail") throw rebuild(done.error!);
  }

  /** Calls a method of a service instance that lives in this sandbox. */
  async invoke(instance: string, method: string, args: unknown[]): Promise<unknown> {
    const done = await this.#request({ t: "invoke", id: this.#nextId++, instance, method, args });
    if (done.status === "fail") throw rebuild(done.error!);
    return done.value;
  }

  /** Validates params against an injectable's schema; returns the issues. */
  async validate(
    kind: "pipe" | "service",
    name: string,
    params: unknown,
  ): Promise<{ path: (string | number)[]; message: string }[]> {
    const done = await this.#request({ t: "validate", id: this.#nextId++, kind, name, params });
    return (done.value ?? []) as { path: (string | number)[]; message: string }[];
  }

  /** Hands the sandbox a frozen set of step states, referenced by id from later runs. */
  defineScope(id: number, steps: Record<string, unknown>): void {
    if (this.#scopes.has(id)) return;
    this.#scopes.add(id);
    this.#send({ t: "scope", id, steps });
  }

  /** Forgets a scope handed over with {@linkcode defineScope}. */
  dropScope(id: number): void {
    if (this.#scopes.delete(id)) this.#send({ t: "drop", id });
  }

  /**
   * Runs a pipe; fails after `timeoutMs` and aborts the pipe's signal. A pipe that is still
   * running `killAfterMs` later (one that ignores its signal, or loops) stops the sandbox.
   */
  async run(input: RunInput, timeoutMs: number): Promise<PipeOutcome> {
    const id = this.#nextId++;
    this.grants.set(id, new Set(Object.values(input.services)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Done>((resolve) => {
      timer = setTimeout(() => {
        const late = this.#pending.get(id);
        this.#send({ t: "abort", id });
        resolve({
          t: "done",
          id,
          status: "fail",
          error: { name: "TimeoutError", message: `timed out after ${formatMs(timeoutMs)}` },
        });
        if (!late) return;
        // The pipe may be stuck: hold new requests back until it stops (then send them) or the
        // sandbox is stopped (then they were never sent, and a new sandbox can take them).
        this.#held ??= [];
        const kill = setTimeout(() => {
          this.#pending.delete(id);
          this.#died(
            `a step did not stop within ${formatMs(this.#options.killAfterMs ?? 2000)} after ` +
              "its timeout, so the plugin was stopped",
          );
        }, this.#options.killAfterMs ?? 2000);
        this.#pending.set(id, () => {
          clearTimeout(kill);
          const held = this.#held ?? [];
          this.#held = undefined;
          for (const msg of held) this.#send(msg);
        });
      }, timeoutMs);
    });
    const d = await Promise.race([this.#request({ t: "run", id, ...input }), timeout]);
    clearTimeout(timer);
    this.grants.delete(id);
    if (d.status === "ok") {
      const data = d.raw ? withRawFields((d.value ?? {}) as object, d.raw) : d.value;
      return { status: "succeeded", data };
    }
    if (d.status === "skip") return { status: "skipped", reason: d.reason ?? "" };
    return { status: "failed", error: d.error! };
  }

  /** Stops the plugin's code; pending requests fail with `reason`. */
  terminate(reason = "stopped"): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#channel.terminate();
    const held = new Set((this.#held ?? []).map((m) => m.id));
    this.#held = undefined;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [id, resolve] of pending) {
      const name = held.has(id) ? NOT_SENT : "Error";
      resolve({ t: "done", id, status: "fail", error: { name, message: reason } });
    }
  }

  #died(reason: string): void {
    if (this.#dead) return;
    this.terminate(reason);
    this.#options.onExit?.(reason);
  }

  #request(msg: HostMessage & { id: number }): Promise<Done> {
    if (this.#dead) {
      return Promise.resolve({
        t: "done",
        id: msg.id,
        status: "fail",
        error: { name: "Error", message: `the plugin is not running: ${this.#dead}` },
      });
    }
    return new Promise((resolve) => {
      this.#pending.set(msg.id, resolve);
      if (this.#held) this.#held.push(msg);
      else this.#send(msg);
    });
  }

  #send(msg: HostMessage): void {
    if (this.#dead) return;
    if (this.#outbox.push(msg) === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    if (this.#dead) return;
    this.#channel.post(this.#outbox.splice(0));
  }

  #receive(batch: SandboxMessage[]): void {
    for (const msg of batch) {
      if (msg.t === "done") {
        const resolve = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        resolve?.(msg);
      } else if (msg.t === "call") this.#route(msg);
      else if (msg.t === "log") this.#options.onLog?.(msg.level, msg.message, msg.props);
      else if (msg.t === "crash") {
        this.#options.onLog?.("error", "Uncaught error in plugin code: {error}", {
          error: `${msg.error.name}: ${msg.error.message}`,
        });
      }
    }
  }

  #route(msg: Extract<SandboxMessage, { t: "call" }>): void {
    const reply = (ok: boolean, value?: unknown, error?: WireError) =>
      this.#send({ t: "result", id: msg.id, ok, value, ...(error ? { error } : {}) });
    if (!this.grants.get(msg.origin)?.has(msg.instance) || !this.#options.onCall) {
      reply(false, undefined, {
        name: "NotCapable",
        message: `service "${msg.instance}" is not injected into this step; add it under injects`,
      });
      return;
    }
    this.#options.onCall(msg).then(
      (value) => reply(true, value),
      (e) =>
        reply(false, undefined, { name: e?.name ?? "Error", message: String(e?.message ?? e) }),
    );
  }
}

/** A plugin module whose default export is not a usable manifest. */
export class InvalidManifestError extends TypeError {
  /** What is wrong, as the sandbox saw it. */
  readonly problems: string[];
  /** The manifest data, when there was an object to describe. */
  readonly manifest: ManifestDescription | undefined;
  /** Creates the error. */
  constructor(problems: string[], manifest: ManifestDescription | undefined) {
    super(problems.join("; "));
    this.name = "InvalidManifestError";
    this.problems = problems;
    this.manifest = manifest;
  }
}

function rebuild(e: WireError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/** `10s`, `1.5s`, `250ms`. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)}s` : `${ms}ms`;
}
