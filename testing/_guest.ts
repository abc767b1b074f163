import type { PluginManifest } from "../core/types.ts";
import type { Outcome, WireError } from "../core/contract.ts";
import type { DoneMessage, HostMessage, SandboxMessage } from "../loader/sandbox/protocol.ts";
import { PluginServer } from "../loader/sandbox/guest/plugin_server.ts";

/** Receives what plugin code logs. */
export type LogSink = (level: string, message: string, props?: Record<string, unknown>) => void;

/**
 * A plugin served in this process by the same guest code a sandbox runs (the plain-data check,
 * params validation, skip and error handling), with its service calls answered by fakes.
 */
export class InProcessGuest {
  #server: PluginServer;
  #pending = new Map<number, (done: DoneMessage) => void>();
  #nextId = 1;
  #fakes: Record<string, object>;
  #log: LogSink | undefined;
  #ready: Promise<void>;
  #settle!: (problem?: string) => void;

  /** Serves `plugin`; calls to an injected service named `alias` go to `fakes[alias]`. */
  constructor(plugin: PluginManifest, fakes: Record<string, object> = {}, log?: LogSink) {
    this.#fakes = fakes;
    this.#log = log;
    this.#ready = new Promise((resolve, reject) => {
      this.#settle = (problem) => (problem ? reject(new TypeError(problem)) : resolve());
    });
    this.#server = new PluginServer(
      (batch) => queueMicrotask(() => this.#receive(batch)),
      { rawFields: false },
    );
    this.#server.start({ default: plugin });
  }

  /** Sends a request (then calls `sent`) and waits for its outcome. */
  async request(msg: HostMessage & { id: number }, sent?: () => void): Promise<Outcome> {
    await this.#ready;
    const done = new Promise<DoneMessage>((resolve) => this.#pending.set(msg.id, resolve));
    this.#server.receive([msg]);
    sent?.();
    return (await done).outcome;
  }

  /** A fresh request id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** Sends a message that gets no answer (an abort). */
  tell(msg: HostMessage): void {
    this.#server.receive([msg]);
  }

  #receive(batch: SandboxMessage[]): void {
    for (const msg of batch) {
      if (msg.t === "ready") this.#settle();
      else if (msg.t === "invalid") this.#settle(`invalid plugin: ${msg.problems.join("; ")}`);
      else if (msg.t === "done") {
        this.#pending.get(msg.id)?.(structuredClone(msg));
        this.#pending.delete(msg.id);
      } else if (msg.t === "log") this.#log?.(msg.level, msg.message, msg.props);
      else if (msg.t === "call") void this.#call(msg);
    }
  }

  async #call(msg: Extract<SandboxMessage, { t: "call" }>): Promise<void> {
    const reply = (ok: boolean, value?: unknown, error?: WireError) =>
      this.#server.receive([{ t: "result", id: msg.id, ok, value, ...(error ? { error } : {}) }]);
    const fake = this.#fakes[msg.instance] as Record<string, unknown> | undefined;
    const fn = fake?.[msg.method];
    try {
      if (typeof fn !== "function") throw new TypeError(`service has no method "${msg.method}"`);
      reply(true, structuredClone(await fn.apply(fake, structuredClone(msg.args))));
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      reply(false, undefined, { name: error.name, message: error.message });
    }
  }
}
