import type { DoneMessage, ManifestDescription } from "./protocol.ts";
import type {
  InjectableKind,
  InvokeOptions,
  LifecycleRequest,
  LoopHooks,
  LoopInput,
  Outcome,
  ParamIssue,
  PipeOutcome,
  PluginRuntime,
  RunInput,
  ServiceCall,
} from "../../core/contract.ts";
import { formatMs } from "../../core/duration.ts";
import type { Channel, StartOptions } from "./_channel.ts";
import { passOn, withRawFields } from "./_raw_fields.ts";
import { ScopeCache } from "./_scopes.ts";
import { checkMessage } from "./_check_message.ts";
import { openChannel } from "./_open_channel.ts";
import { HostLoop, type LoopRun } from "./_host_loop.ts";
import { CallGrants, routeCall } from "./_call_grants.ts";
import { failed, rebuild, withDeadline } from "./_replies.ts";
import { Requests } from "./_requests.ts";
export type { LoopRun } from "./_host_loop.ts";
export { InvalidManifestError } from "./_open_channel.ts";
export type { StartOptions } from "./_channel.ts";

/** Options for {@linkcode PluginSandbox.start}. */
export interface SandboxOptions extends StartOptions {
  /** A record the plugin logged. */
  onLog?: (level: "debug" | "info" | "warning" | "error", message: string, props?: object) => void;
  /** A service call the plugin made; resolve with the value or reject with the error. */
  onCall?: (call: ServiceCall) => Promise<unknown>;
  /** The sandbox died after it started; `stuck`: it was stopped as its code would not stop. */
  onExit?: (reason: string, stuck: boolean) => void;
  /** How long a pipe may go on after its timeout before the sandbox is stopped; default 2 s. */
  killAfterMs?: number;
}

const BROKE = "the plugin broke the sandbox protocol";

/** One life of a plugin's code, confined by its isolation mode under its own permissions. */
export class PluginSandbox implements PluginRuntime {
  #channel!: Channel;
  #requests = new Requests((batch) => this.#channel.post(batch));
  #dead: string | undefined;
  #options: SandboxOptions;
  #scopes = new ScopeCache();
  /** Who may call which services, until when. */
  #calls = new CallGrants();
  /** Offloaded loops in flight, by request id. */
  #loops = new Map<number, HostLoop>();

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

  /** How many requests (runs, loops, calls, hooks) are in flight. */
  get inFlight(): number {
    return this.#requests.inFlight;
  }

  /**
   * Runs the manifest's `setup()` (a sandbox whose setup does not answer in time is stopped),
   * or a {@linkcode LifecycleRequest}, in the sandbox under the plugin's permissions.
   *
   * @returns Its outcome; one that took over `timeoutMs` failed as a `TimeoutError`.
   */
  async ask(request: { hook: "setup" } | LifecycleRequest, timeoutMs: number): Promise<Outcome> {
    const id = this.#requests.id();
    const asked = this.#requests.request(
      request.hook === "setup"
        ? { t: "setup", id, timeoutMs }
        : { t: "lifecycle", id, timeoutMs, ...request },
    );
    const { outcome } = await withDeadline(asked, Date.now() + timeoutMs, (waited) => {
      const message = `did not finish within ${formatMs(waited)}`;
      this.#requests.forget(id);
      if (request.hook === "setup") queueMicrotask(() => this.#died(`its setup() ${message}`));
      return failed(id, { name: "TimeoutError", message });
    });
    return outcome;
  }

  /** Creates a service instance inside the sandbox. */
  async create(
    instance: string,
    name: string,
    params: unknown,
    services: Record<string, string>,
  ): Promise<void> {
    const id = this.#requests.id();
    const granted = new Set(Object.values(services));
    this.#calls.grant(-id, granted);
    const { outcome } = await this.#requests.request({
      t: "create",
      id,
      name,
      instance,
      params,
      services,
    });
    this.#calls.revoke(-id);
    if (outcome.status === "failed") throw rebuild(outcome.error);
    this.#calls.created(instance, -id, granted);
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
    const id = this.#requests.id();
    const msg = { t: "invoke", id, instance, method, args } as const;
    const done = this.#calls.handling(instance, options.deadline);
    const answered = this.#requests.request(msg);
    // A service method gets no abort signal, so there is nothing to wait for: the service that
    // lets its caller's time run out is stopped now (its plugin, not the caller's).
    const { outcome } = await withDeadline(answered, options.deadline, (waited) => {
      const what = `service "${instance}" did not answer ${method}() within ${formatMs(waited)}`;
      // Stopped after the call has failed as timed out, so that the caller hears why.
      const reason = `${what}, its caller's deadline, so the plugin was stopped`;
      queueMicrotask(() => this.#died(reason, true));
      return failed(id, { name: "TimeoutError", message: what });
    }).finally(done);
    if (outcome.status === "failed") throw rebuild(outcome.error);
    return outcome.status === "succeeded" ? outcome.data : undefined;
  }

  /** Validates params against an injectable's schema; returns the issues. */
  async validate(kind: InjectableKind, name: string, params: unknown): Promise<ParamIssue[]> {
    const { outcome } = await this.#requests.request({
      t: "validate",
      id: this.#requests.id(),
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
    const id = this.#requests.id();
    this.#calls.grant(id, new Set(Object.values(input.services)), Date.now() + timeoutMs);
    const layers = input.steps.slice(0, -1);
    const scopes = this.#scopes.ids(
      layers,
      (scope, steps) => this.#requests.send({ t: "scope", id: scope, steps }),
      (scope) => this.#requests.send({ t: "drop", id: scope }),
    );
    const { params, rawParams } = passOn(input.params, input.refs ?? []);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<DoneMessage>((resolve) => {
      timer = setTimeout(() => resolve(this.#timedOut(id, timeoutMs)), timeoutMs);
    });
    const done = await Promise.race([
      this.#requests.request({
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
    this.#calls.revoke(id);
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
      id: () => this.#requests.id(),
      grant: (origin, services, timeoutMs) =>
        this.#calls.grantLoopStep(origin, services, timeoutMs),
      revoke: (origin) => this.#calls.revoke(origin),
      scopes: (layers) =>
        this.#scopes.ids(
          layers,
          (scope, steps) => this.#requests.send({ t: "scope", id: scope, steps }),
          (scope) => this.#requests.send({ t: "drop", id: scope }),
        ),
      request: (msg) => this.#requests.request(msg),
      send: (msg) => this.#requests.send(msg),
      die: (reason) => this.#died(reason, true),
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
    this.#requests.stop(reason);
  }

  /**
   * The run's time is up: it fails now. The pipe may be stuck, so new requests are held back
   * until it stops (then they are sent) or the sandbox is stopped (then they were never sent,
   * and a new sandbox can take them).
   */
  #timedOut(id: number, timeoutMs: number): DoneMessage {
    this.#requests.send({ t: "abort", id });
    const killAfterMs = this.#options.killAfterMs ?? 2000;
    const kill = setTimeout(() => {
      this.#requests.forget(id);
      const late = `a step did not stop within ${formatMs(killAfterMs)} after its timeout`;
      this.#died(`${late}, so the plugin was stopped`, true);
    }, killAfterMs);
    if (!this.#requests.holdBehind(id, () => clearTimeout(kill))) clearTimeout(kill);
    return failed(id, { name: "TimeoutError", message: `timed out after ${formatMs(timeoutMs)}` });
  }

  #died(reason: string, stuck = false): void {
    if (this.#dead) return;
    this.terminate(reason);
    this.#options.onExit?.(reason, stuck);
  }

  #receive(batch: unknown): void {
    if (!Array.isArray(batch)) return this.#died(`${BROKE}: it sent something that is not a batch`);
    for (const value of batch) {
      if (this.#dead) return;
      const checked = checkMessage(value, this.#options.maxResultBytes ?? 64_000_000);
      if ("violation" in checked) return this.#died(`${BROKE}: ${checked.violation}`);
      const msg = checked.message;
      if (msg.t === "done") {
        this.#requests.done(msg);
      } else if (msg.t === "progress") this.#loops.get(msg.id)?.progress(msg);
      else if (msg.t === "call") {
        routeCall(msg, this.#calls, (m) => this.#requests.send(m), this.#options.onCall);
      } else if (msg.t === "log") this.#options.onLog?.(msg.level, msg.message, msg.props);
      else if (msg.t === "crash") {
        this.#options.onLog?.("error", "Uncaught error in plugin code: {error}", {
          error: `${msg.error.name}: ${msg.error.message}`,
        });
      }
    }
  }
}
