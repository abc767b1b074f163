import type { HostMessage, ManifestDescription, SandboxMessage } from "./_protocol.ts";
import type { PipeOutcome, PluginRuntime, RunInput, WireError } from "../core/registry.ts";

/** Deno's permission options for a Worker, every kind spelled out. */
export type WorkerPermissions = Record<
  "net" | "read" | "write" | "env" | "run" | "sys" | "ffi" | "import",
  boolean | string[]
>;

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
  /** The plugin module URL. */
  url: string;
  /** Deno permissions of the Worker. */
  permissions: WorkerPermissions;
  /** A record the plugin logged. */
  onLog?: (level: "debug" | "info" | "warning" | "error", message: string, props?: object) => void;
  /** A service call the plugin made; resolve with the value or reject with the error. */
  onCall?: (call: ServiceCall) => Promise<unknown>;
  /** How long loading may take; default 30 s. */
  loadTimeoutMs?: number;
}

/** A plugin's code, confined to a Worker under its own Deno permissions. */
export class PluginSandbox implements PluginRuntime {
  #worker: Worker;
  #outbox: HostMessage[] = [];
  #pending = new Map<number, (m: Extract<SandboxMessage, { t: "done" }>) => void>();
  #nextId = 1;
  #dead: string | undefined;
  #options: SandboxOptions;
  #scopes = new Set<number>();
  /** Runs currently in flight, with the service ids each may call. */
  readonly grants: Map<number, ReadonlySet<string>> = new Map();

  private constructor(worker: Worker, options: SandboxOptions) {
    this.#worker = worker;
    this.#options = options;
  }

  /**
   * Starts a Worker that evaluates the plugin module under `permissions` and reports its manifest.
   *
   * @throws {Error} With the module's own load error or "did not start" after the timeout.
   */
  static start(
    options: SandboxOptions,
  ): Promise<{ sandbox: PluginSandbox; manifest: ManifestDescription }> {
    const runtime = new URL("./_sandbox_runtime.ts", import.meta.url).href;
    const source = `import { start } from ${JSON.stringify(runtime)};\n` +
      `import * as mod from ${JSON.stringify(options.url)};\nstart(mod);\n`;
    const worker = new Worker(`data:application/javascript,${encodeURIComponent(source)}`, {
      type: "module",
      name: options.url,
      deno: { permissions: options.permissions },
    });
    const sandbox = new PluginSandbox(worker, options);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sandbox.terminate("did not start");
        reject(
          new Error(`the module did not finish loading in ${options.loadTimeoutMs ?? 30000} ms`),
        );
      }, options.loadTimeoutMs ?? 30_000);
      worker.onerror = (e) => {
        e.preventDefault();
        clearTimeout(timer);
        sandbox.terminate(e.message);
        reject(new Error(e.message.replace(/^Uncaught (\(in promise\) )?/, "")));
      };
      worker.onmessage = (e: MessageEvent<SandboxMessage[]>) => {
        clearTimeout(timer);
        const first = e.data[0];
        if (first?.t === "ready") {
          sandbox.#listen();
          resolve({ sandbox, manifest: first.manifest });
        } else if (first?.t === "crash") {
          sandbox.terminate(first.error.message);
          reject(Object.assign(new Error(first.error.message), { name: first.error.name }));
        } else {
          sandbox.terminate("invalid manifest");
          reject(
            new InvalidManifestError(
              first?.t === "invalid" ? first.problems : ["no manifest"],
              first?.t === "invalid" ? first.manifest : undefined,
            ),
          );
        }
      };
    });
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

  /** Runs a pipe; fails after `timeoutMs` and aborts the pipe's signal. */
  run(input: RunInput, timeoutMs: number): Promise<PipeOutcome> {
    const id = this.#nextId++;
    this.grants.set(id, new Set(Object.values(input.services)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Extract<SandboxMessage, { t: "done" }>>((resolve) => {
      timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#send({ t: "abort", id });
        resolve({
          t: "done",
          id,
          status: "fail",
          error: { name: "TimeoutError", message: `timed out after ${formatMs(timeoutMs)}` },
        });
      }, timeoutMs);
    });
    const done = this.#request({ t: "run", id, ...input });
    return Promise.race([done, timeout]).then((d) => {
      clearTimeout(timer);
      this.grants.delete(id);
      if (d.status === "ok") return { status: "succeeded", data: d.value };
      if (d.status === "skip") return { status: "skipped", reason: d.reason ?? "" };
      return { status: "failed", error: d.error! };
    });
  }

  /** Stops the Worker; pending requests fail with `reason`. */
  terminate(reason = "stopped"): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#worker.terminate();
    for (const [id, resolve] of this.#pending) {
      resolve({ t: "done", id, status: "fail", error: { name: "Error", message: reason } });
    }
    this.#pending.clear();
  }

  #request(msg: HostMessage & { id: number }): Promise<Extract<SandboxMessage, { t: "done" }>> {
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
      this.#send(msg);
    });
  }

  #send(msg: HostMessage): void {
    if (this.#dead) return;
    if (this.#outbox.push(msg) === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    if (this.#dead) return;
    this.#worker.postMessage(this.#outbox.splice(0));
  }

  #listen(): void {
    this.#worker.onerror = (e) => {
      e.preventDefault();
      this.terminate(
        `the plugin crashed: ${e.message.replace(/^Uncaught (\(in promise\) )?/, "")}`,
      );
    };
    this.#worker.onmessage = (e: MessageEvent<SandboxMessage[]>) => {
      for (const msg of e.data) {
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
    };
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
