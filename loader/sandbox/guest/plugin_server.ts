/**
 * The side of the sandbox boundary that runs plugin code: it evaluates nothing itself, but
 * serves the host's requests (create services, run pipes, call service methods) for one plugin
 * module, over any transport (Worker messages, a subprocess's pipes, or in-process calls).
 *
 * @module
 */
import { pluginLogger, runSetup, splitRaw } from "./_setup.ts";
import { serveLifecycle } from "./_lifecycle.ts";
import type { HostMessage, LoopMessage, RunMessage, SandboxMessage } from "../protocol.ts";
import type {
  Injectable,
  PipeDefinition,
  PluginLogger,
  ServiceProxy,
} from "../../../core/types.ts";
import type { Outcome, StepStates } from "../../../core/contract.ts";
import { checkPlainData } from "../_plain_data.ts";
import { describe, describeProblems } from "./_describe_manifest.ts";
import { issuesOf, parseParams, setAt, unwire, wire } from "./_wire.ts";
import { type GuestLoop, type LoopServer, serveLoop } from "./_loop.ts";
import { macrotask, SkipSignal } from "./_loop_parts.ts";
import { serviceProxies } from "./_proxies.ts";

/** Options of the serving side. */
export interface ServerOptions {
  /** The largest result, in bytes (approximately, as JSON); default 64 MB. */
  maxResultBytes?: number;
  /**
   * Send a pipe result's large list fields as JSON text, which the host passes on to the next
   * sandbox without parsing (default true; off in-process, where nothing is copied anyway).
   */
  rawFields?: boolean;
}

/** Serves one plugin module's injectables to the host. */
export class PluginServer {
  #post: (batch: SandboxMessage[]) => void;
  #outbox: SandboxMessage[] = [];
  #services = new Map<string, Record<string, unknown>>();
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  #aborts = new Map<number, AbortController>();
  #scopes = new Map<number, StepStates>();
  #injectables = new Map<string, Injectable>();
  #manifest: Record<string, unknown> | undefined;
  #nextCallId = 1;
  #loops = new Map<number, GuestLoop>();
  #maxBytes: number;
  #rawFields: boolean;
  #logger: PluginLogger;

  /** Serves `mod`, posting batches of messages with `post`. */
  constructor(
    post: (batch: SandboxMessage[]) => void,
    options: ServerOptions = {},
  ) {
    this.#post = post;
    this.#maxBytes = options.maxResultBytes ?? 64_000_000;
    this.#rawFields = options.rawFields ?? true;
    this.#logger = pluginLogger((msg) => this.#send(msg));
  }

  /** Checks the module's manifest and tells the host it is ready (or why not). */
  start(mod: Record<string, unknown>): void {
    const manifest = mod.default as Record<string, unknown> | undefined;
    const problems = describeProblems(manifest);
    if (problems.length) {
      const description = manifest && typeof manifest === "object" ? describe(manifest) : undefined;
      this.#post([{ t: "invalid", problems, manifest: description }]);
      return;
    }
    this.#manifest = manifest;
    for (const i of manifest!.injectables as Injectable[]) {
      this.#injectables.set(`${i.kind}:${i.name}`, i);
    }
    this.#post([{ t: "ready", manifest: describe(manifest!) }]);
  }

  /** Handles a batch of host messages. */
  receive(batch: HostMessage[]): void {
    for (const msg of batch) this.#handle(msg);
  }

  /** Reports an error nobody caught in plugin code. */
  crash(error: unknown, fatal: boolean): void {
    this.#post([{ t: "crash", error: wire(error), fatal }]);
  }

  #send(msg: SandboxMessage): void {
    if (this.#outbox.push(msg) === 1) queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    if (!this.#outbox.length) return;
    const batch = this.#outbox.splice(0);
    try {
      this.#post(batch);
    } catch {
      // Some message cannot be sent: send one by one and fail the ones that cannot go.
      for (const msg of batch) {
        try {
          this.#post([msg]);
        } catch (e) {
          if (msg.t !== "done") continue;
          const error = wire(new TypeError(`cannot send the result: ${(e as Error).message}`));
          this.#post([{ t: "done", id: msg.id, outcome: { status: "failed", error } }]);
        }
      }
    }
  }

  #handle(msg: HostMessage): void {
    switch (msg.t) {
      case "run":
        return void this.#run(msg);
      case "loop":
        return void this.#loop(msg);
      case "stop":
        return this.#loops.get(msg.id)?.stop();
      case "create":
        return void this.#create(msg);
      case "invoke":
        return void this.#invoke(msg);
      case "validate":
        return void this.#validate(msg);
      case "setup":
        return void this.#answer(msg.id, runSetup(this.#manifest, this.#logger, msg.timeoutMs));
      case "lifecycle":
        return void this.#answer(
          msg.id,
          serveLifecycle(msg, msg.timeoutMs, {
            manifest: this.#manifest,
            services: this.#services,
            log: this.#logger,
          }),
        );
      case "scope":
        this.#scopes.set(msg.id, msg.steps);
        return;
      case "drop":
        this.#scopes.delete(msg.id);
        return;
      case "abort":
        this.#aborts.get(msg.id)?.abort(
          msg.reason ? unwire(msg.reason) : new DOMException("The step timed out", "TimeoutError"),
        );
        return;
      case "result": {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.value);
        else p?.reject(unwire(msg.error!));
      }
    }
  }

  #end(id: number, outcome: Outcome): void {
    this.#send({ t: "done", id, outcome });
  }

  #fail(id: number, e: unknown): void {
    this.#end(id, { status: "failed", error: wire(e) });
  }

  /** Sends a result after checking it is plain data within the size limit. */
  #done(id: number, value: unknown, what: string, raw = false): void {
    const problem = checkPlainData(value, this.#maxBytes);
    if (problem) {
      const message = `${what} ${problem.path} ${problem.message}`;
      this.#end(id, { status: "failed", error: { name: "TypeError", message } });
      return;
    }
    const split = raw && this.#rawFields ? splitRaw(value) : undefined;
    if (split) {
      this.#send({
        t: "done",
        id,
        outcome: { status: "succeeded", data: split.rest },
        raw: split.texts,
      });
      return;
    }
    this.#end(id, { status: "succeeded", data: value });
  }

  async #run(msg: RunMessage): Promise<void> {
    const controller = new AbortController();
    this.#aborts.set(msg.id, controller);
    try {
      const pipe = this.#injectables.get(`pipe:${msg.pipe}`);
      if (!pipe || pipe.kind !== "pipe") throw new TypeError(`no pipe named "${msg.pipe}"`);
      let steps = msg.steps;
      if (msg.scopes.length) {
        steps = {};
        for (const id of msg.scopes) steps = { ...steps, ...this.#scopes.get(id) };
        steps = { ...steps, ...msg.steps };
      }
      for (const { path, json } of msg.rawParams ?? []) setAt(msg.params, path, JSON.parse(json));
      const params = pipe.params ? await parseParams(pipe.params, msg.params) : msg.params;
      const value = await pipe.run({
        params: params as Record<string, unknown>,
        services: this.#proxies(msg.services, msg.id),
        steps: steps as never,
        step: msg.step,
        log: this.#logger,
        signal: controller.signal,
        skip(reason = "skipped by the pipe") {
          throw new SkipSignal(reason);
        },
      });
      this.#done(msg.id, value ?? {}, "the pipe returned a value whose", true);
    } catch (e) {
      if (e instanceof SkipSignal) {
        this.#end(msg.id, { status: "skipped", reason: String(e.reason) });
      } else this.#fail(msg.id, e);
    } finally {
      this.#aborts.delete(msg.id);
    }
  }

  async #loop(msg: LoopMessage): Promise<void> {
    const server: LoopServer = {
      pipe: (name) => this.#injectables.get(`pipe:${name}`) as PipeDefinition | undefined,
      proxies: (services, origin, deadline) => this.#proxies(services, origin, deadline),
      log: this.#logger,
      report: (report) => (this.#send(report), this.#flush()),
      yield: macrotask,
      killAfterMs: msg.killAfterMs,
    };
    this.#end(msg.id, await serveLoop(msg, this.#scopes, server, this.#loops));
  }

  async #create(msg: Extract<HostMessage, { t: "create" }>): Promise<void> {
    try {
      const def = this.#injectables.get(`service:${msg.name}`);
      if (!def || def.kind !== "service") throw new TypeError(`no service named "${msg.name}"`);
      const params = def.params ? await parseParams(def.params, msg.params) : msg.params;
      const instance = await def.create(params as Record<string, unknown>, {
        id: msg.instance,
        services: this.#proxies(msg.services, -msg.id),
        log: this.#logger,
      });
      if (instance === null || typeof instance !== "object") {
        throw new TypeError(`create() returned ${typeof instance}; return an object of methods`);
      }
      this.#services.set(msg.instance, instance as Record<string, unknown>);
      this.#end(msg.id, { status: "succeeded", data: null });
    } catch (e) {
      this.#fail(msg.id, e);
    }
  }

  async #invoke(msg: Extract<HostMessage, { t: "invoke" }>): Promise<void> {
    try {
      const instance = this.#services.get(msg.instance);
      const method = instance?.[msg.method];
      if (typeof method !== "function" || Object.hasOwn(Object.prototype, msg.method)) {
        throw new TypeError(`service "${msg.instance}" has no method "${msg.method}"`);
      }
      const value = await method.apply(instance, msg.args);
      this.#done(msg.id, value ?? null, `${msg.method}() returned a value whose`);
    } catch (e) {
      this.#fail(msg.id, e);
    }
  }

  async #answer(id: number, outcome: Promise<Outcome>): Promise<void> {
    this.#end(id, await outcome);
  }

  async #validate(msg: Extract<HostMessage, { t: "validate" }>): Promise<void> {
    const def = this.#injectables.get(`${msg.kind}:${msg.name}`);
    const issues = def?.params ? await issuesOf(def.params, msg.params) : [];
    this.#end(msg.id, { status: "succeeded", data: issues });
  }

  #proxies(
    map: Record<string, string>,
    origin: number,
    deadline?: number,
  ): Record<string, ServiceProxy> {
    return serviceProxies(map, {
      maxBytes: this.#maxBytes,
      call: (call, settle) => {
        const id = this.#nextCallId++;
        this.#pending.set(id, settle);
        this.#send({
          t: "call",
          id,
          origin,
          ...call,
          ...(deadline === undefined ? {} : { deadline }),
        });
      },
    });
  }
}
