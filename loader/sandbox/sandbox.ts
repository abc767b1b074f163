import type { DoneMessage, HostMessage, ManifestDescription, SandboxMessage } from "./protocol.ts";
import type {
  InjectableKind,
  InvokeOptions,
  LoopHooks,
  LoopInput,
  Outcome,
  ParamIssue,
  PipeOutcome,
  PluginRuntime,
  RunInput,
  ServiceCall,
  WireError,
} from "../../core/contract.ts";
import { formatMs } from "../../core/duration.ts";
import type { Channel, StartOptions } from "./_channel.ts";
import { passOn, withRawFields } from "./_raw_fields.ts";
import { ScopeCache } from "./_scopes.ts";
import { checkMessage } from "./_check_message.ts";
import { openChannel } from "./_open_channel.ts";
import { HostLoop, type LoopRun } from "./_host_loop.ts";
export type { LoopRun } from "./_host_loop.ts";
export { InvalidManifestError } from "./_open_channel.ts";
export type { StartOptions } from "./_channel.ts";

/** Options for {@linkcode PluginSandbox.start}. */
export interface SandboxOptions extends StartOptions {
  /** A record the plugin logged. */
  onLog?: (level: "debug" | "info" | "warning" | "error", message: string, props?: object) => void;
  /** A service call the plugin made; resolve with the value or reject with the error. */
  onCall?: (call: ServiceCall) => Promise<unknown>;
  /** The sandbox died after it started (crash, memory limit, stuck after a timeout). */
  onExit?: (reason: string) => void;
  /** How long a pipe may go on after its timeout before the sandbox is stopped; default 2 s. */
  killAfterMs?: number;
}

const BROKE = "the plugin broke the sandbox protocol";

/** The error name of a request that a stopped sandbox never received (safe to send again). */
export const NOT_SENT = "NotSent";

/** One life of a plugin's code, confined by its isolation mode under its own permissions. */
export class PluginSandbox implements PluginRuntime {
  #channel!: Channel;
  #outbox: HostMessage[] = [];
  #pending = new Map<number, (m: DoneMessage) => void>();
  #nextId = 1;
  #dead: string | undefined;
  #options: SandboxOptions;
  #scopes = new ScopeCache();
  /** Requests held back while a timed-out pipe may still be running (see `run`). */
  #held: (HostMessage & { id: number })[] | undefined;
  /**
   * Who may call which services: runs in flight by their id, and service instances (by the
   * negative id of their creation) while they are being created or are handling a call.
   */
  #grants = new Map<number, ReadonlySet<string>>();
  /** When each caller's time is up: runs by id, service instances by their creation's id. */
  #deadlines = new Map<number, number>();
  /** Offloaded loops in flight, by request id; the time limit of each loop step's calls. */
  #loops = new Map<number, HostLoop>();
  #loopTimeouts = new Map<number, number>();
  /** Each service instance's creation grant, and how many of its calls are in flight. */
  #instances = new Map<string, { origin: number; services: ReadonlySet<string>; busy: number }>();

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
    const opened = await openChannel(options, {
      message: (batch) => sandbox.#receive(batch),
      exit: (reason) => sandbox.#died(reason),
    });
    if ("error" in opened) {
      sandbox.#dead = opened.error.message;
      throw opened.error;
    }
    sandbox.#channel = opened.channel;
    return { sandbox, manifest: opened.manifest };
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
    const granted = new Set(Object.values(services));
    this.#grants.set(-id, granted);
    const { outcome } = await this.#request({ t: "create", id, name, instance, params, services });
    this.#grants.delete(-id);
    if (outcome.status === "failed") throw rebuild(outcome.error);
    this.#instances.set(instance, { origin: -id, services: granted, busy: 0 });
  }

  /**
   * Calls a method of a service instance that lives in this sandbox. A call still unanswered at
   * its deadline fails and stops this sandbox (the service is the one that hangs, not its
   * caller).
   */
  async invoke(
    instance: string,
    method: string,
    args: unknown[],
    options: InvokeOptions = {},
  ): Promise<unknown> {
    const id = this.#nextId++;
    const msg = { t: "invoke", id, instance, method, args } as const;
    const target = this.#instances.get(instance);
    if (target && target.busy++ === 0) this.#grants.set(target.origin, target.services);
    if (target && options.deadline !== undefined) {
      this.#deadlines.set(target.origin, options.deadline);
    }
    const answered = this.#request(msg);
    const wait = options.deadline === undefined
      ? undefined
      : Math.max(0, options.deadline - Date.now());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = wait === undefined ? undefined : new Promise<DoneMessage>((resolve) => {
      timer = setTimeout(() => {
        // A service method gets no abort signal, so there is nothing to wait for: the service
        // that let its caller's time run out is stopped now (its plugin, not the caller's).
        const what = `service "${instance}" did not answer ${method}() within ${
          formatMs(Math.round(wait))
        }`;
        resolve(failed(id, { name: "TimeoutError", message: what }));
        this.#died(`${what}, its caller's deadline, so the plugin was stopped`);
      }, wait);
    });
    const { outcome } = await (late ? Promise.race([answered, late]) : answered).finally(() => {
      clearTimeout(timer);
      if (target && --target.busy === 0) {
        this.#grants.delete(target.origin);
        this.#deadlines.delete(target.origin);
      }
    });
    if (outcome.status === "failed") throw rebuild(outcome.error);
    return outcome.status === "succeeded" ? outcome.data : undefined;
  }

  /** Validates params against an injectable's schema; returns the issues. */
  async validate(kind: InjectableKind, name: string, params: unknown): Promise<ParamIssue[]> {
    const { outcome } = await this.#request({
      t: "validate",
      id: this.#nextId++,
      kind,
      name,
      params,
    });
    return outcome.status === "succeeded" ? (outcome.data as ParamIssue[]) : [];
  }

  /**
   * Runs a pipe; fails after `timeoutMs` and aborts the pipe's signal. A pipe that is still
   * running `killAfterMs` later (one that ignores its signal, or loops) stops the sandbox.
   */
  async run(input: RunInput, timeoutMs: number): Promise<PipeOutcome> {
    const id = this.#nextId++;
    this.#grants.set(id, new Set(Object.values(input.services)));
    this.#deadlines.set(id, Date.now() + timeoutMs);
    const layers = input.steps.slice(0, -1);
    const scopes = this.#scopes.ids(
      layers,
      (scope, steps) => this.#send({ t: "scope", id: scope, steps }),
      (scope) => this.#send({ t: "drop", id: scope }),
    );
    const { params, rawParams } = passOn(input.params, input.refs ?? []);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<DoneMessage>((resolve) => {
      timer = setTimeout(() => resolve(this.#timedOut(id, timeoutMs)), timeoutMs);
    });
    const done = await Promise.race([
      this.#request({
        t: "run",
        id,
        pipe: input.pipe,
        params,
        ...(rawParams.length ? { rawParams } : {}),
        scopes,
        steps: input.steps.at(-1) ?? {},
        services: input.services,
        step: input.step,
      }),
      timeout,
    ]);
    clearTimeout(timer);
    this.#grants.delete(id);
    this.#deadlines.delete(id);
    const { outcome } = done;
    if (outcome.status === "succeeded" && done.raw) {
      return { status: "succeeded", data: withRawFields((outcome.data ?? {}) as object, done.raw) };
    }
    return outcome;
  }

  /**
   * Runs a whole `for_each` in the sandbox. When the sandbox dies meanwhile, the result says
   * from which item on nothing ran, so that a new sandbox can go on from there.
   */
  async loop(input: LoopInput, hooks: LoopHooks = {}): Promise<LoopRun> {
    const loop = new HostLoop(input, hooks, {
      id: () => this.#nextId++,
      grant: (origin, services, timeoutMs) => {
        this.#grants.set(origin, services);
        this.#loopTimeouts.set(origin, timeoutMs);
      },
      revoke: (origin) => {
        this.#grants.delete(origin);
        this.#loopTimeouts.delete(origin);
      },
      scopes: (layers) =>
        this.#scopes.ids(
          layers,
          (scope, steps) => this.#send({ t: "scope", id: scope, steps }),
          (scope) => this.#send({ t: "drop", id: scope }),
        ),
      request: (msg) => this.#request(msg),
      send: (msg) => this.#send(msg),
      die: (reason) => this.#died(reason),
      dead: () => this.#dead,
      killAfterMs: this.#options.killAfterMs ?? 2000,
    });
    this.#loops.set(loop.id, loop);
    try {
      return await loop.run();
    } finally {
      this.#loops.delete(loop.id);
    }
  }

  /** Stops the plugin's code; pending requests fail with `reason`. */
  terminate(reason = "stopped"): void {
    if (this.#dead) return;
    this.#dead = reason;
    this.#channel?.terminate();
    const held = new Set((this.#held ?? []).map((m) => m.id));
    this.#held = undefined;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [id, resolve] of pending) {
      const name = held.has(id) ? NOT_SENT : "Error";
      resolve(failed(id, { name, message: reason }));
    }
  }

  /**
   * The run's time is up: it fails now. The pipe may be stuck, so new requests are held back
   * until it stops (then they are sent) or the sandbox is stopped (then they were never sent,
   * and a new sandbox can take them).
   */
  #timedOut(id: number, timeoutMs: number): DoneMessage {
    const late = this.#pending.get(id);
    this.#send({ t: "abort", id });
    if (late) {
      this.#held ??= [];
      const killAfterMs = this.#options.killAfterMs ?? 2000;
      const kill = setTimeout(() => {
        this.#pending.delete(id);
        this.#died(
          `a step did not stop within ${formatMs(killAfterMs)} after its timeout, so the ` +
            "plugin was stopped",
        );
      }, killAfterMs);
      this.#pending.set(id, () => {
        clearTimeout(kill);
        const held = this.#held ?? [];
        this.#held = undefined;
        for (const msg of held) this.#send(msg);
      });
    }
    return failed(id, { name: "TimeoutError", message: `timed out after ${formatMs(timeoutMs)}` });
  }

  #died(reason: string): void {
    if (this.#dead) return;
    this.terminate(reason);
    this.#options.onExit?.(reason);
  }

  #request(msg: HostMessage & { id: number }): Promise<DoneMessage> {
    if (this.#dead) {
      const message = `the plugin is not running: ${this.#dead}`;
      return Promise.resolve(failed(msg.id, { name: "Error", message }));
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

  #receive(batch: unknown): void {
    if (!Array.isArray(batch)) return this.#died(`${BROKE}: it sent something that is not a batch`);
    for (const value of batch) {
      if (this.#dead) return;
      const checked = checkMessage(value, this.#options.maxResultBytes ?? 64_000_000);
      if ("violation" in checked) return this.#died(`${BROKE}: ${checked.violation}`);
      const msg = checked.message;
      if (msg.t === "done") {
        const resolve = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        resolve?.(msg);
      } else if (msg.t === "progress") this.#loops.get(msg.id)?.progress(msg);
      else if (msg.t === "call") this.#route(msg);
      else if (msg.t === "log") this.#options.onLog?.(msg.level, msg.message, msg.props);
      else if (msg.t === "crash") {
        this.#options.onLog?.("error", "Uncaught error in plugin code: {error}", {
          error: `${msg.error.name}: ${msg.error.message}`,
        });
      }
    }
  }

  /** A loop step's call: the step's own deadline, but never later than its timeout from now. */
  #loopDeadline(msg: Extract<SandboxMessage, { t: "call" }>): number | undefined {
    const timeoutMs = this.#loopTimeouts.get(msg.origin);
    if (timeoutMs === undefined) return undefined;
    const bound = Date.now() + timeoutMs;
    return msg.deadline === undefined ? bound : Math.min(msg.deadline, bound);
  }

  #route(msg: Extract<SandboxMessage, { t: "call" }>): void {
    const reply = (ok: boolean, value?: unknown, error?: WireError) =>
      this.#send({ t: "result", id: msg.id, ok, value, ...(error ? { error } : {}) });
    if (!this.#grants.get(msg.origin)?.has(msg.instance) || !this.#options.onCall) {
      reply(false, undefined, {
        name: "NotCapable",
        message: `service "${msg.instance}" is not injected into this step; add it under injects`,
      });
      return;
    }
    const deadline = this.#deadlines.get(msg.origin) ?? this.#loopDeadline(msg);
    const call = { instance: msg.instance, method: msg.method, args: msg.args };
    // The service must answer a little before the caller's own time is up, so that the caller
    // learns which service hung instead of timing out itself.
    this.#options.onCall(deadline === undefined ? call : { ...call, deadline: early(deadline) })
      .then(
        (value) => reply(true, value),
        (e) =>
          reply(false, undefined, { name: e?.name ?? "Error", message: String(e?.message ?? e) }),
      );
  }
}

/**
 * A deadline moved earlier by a third of the time left (at most two seconds), so that a
 * service's failure has time to travel back through each service that relayed the call.
 */
function early(deadline: number): number {
  const left = deadline - Date.now();
  return deadline - Math.min(2000, Math.max(0, left / 3));
}

function failed(id: number, error: WireError): DoneMessage {
  const outcome: Outcome = { status: "failed", error };
  return { t: "done", id, outcome };
}

function rebuild(e: WireError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}
