import type {
  InjectableKind,
  InvokeOptions,
  LifecycleRequest,
  LoopFailure,
  LoopHooks,
  LoopInput,
  LoopResult,
  Outcome,
  ParamIssue,
  PipeOutcome,
  PluginHealth,
  PluginRuntime,
  RunInput,
} from "../../core/contract.ts";
import { formatMs } from "../../core/duration.ts";
import type { ManifestDescription } from "./protocol.ts";
import { PluginSandbox, type SandboxOptions } from "./sandbox.ts";
import { NOT_SENT } from "./_requests.ts";
import { mustPass } from "./_lifecycle.ts";
import { type CreatedService, freshSandbox, type Handover, retire } from "./_fresh_sandbox.ts";
import { afterStuck } from "./_fresh_sandbox.ts";

/** Options for {@linkcode SupervisedPlugin.start}. */
export interface SupervisorOptions extends SandboxOptions {
  /** Before each restart: why the plugin's code no longer matches what was vetted, if so. */
  verify?: () => Promise<string | undefined>;
}

const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * A plugin whose sandbox is restarted when it dies (a crash, the memory limit, a step that
 * would not stop after its timeout). Services that lived in it are created again. Restarts back
 * off exponentially (immediately, then 1 s, 2 s, 4 s, … up to 5 minutes); meanwhile the plugin
 * is quarantined and its calls fail at once with the reason. A successful run ends the backoff.
 */
export class SupervisedPlugin implements PluginRuntime {
  #options: SupervisorOptions;
  #sandbox: PluginSandbox;
  #starting: Promise<PluginSandbox> | undefined;
  #services: CreatedService[] = [];
  #failures = 0;
  #restarts = 0;
  #until = 0;
  #reason: string | undefined;
  #closed = false;
  /** Whether the manifest's `start()` ran (and `stop()` not yet): a new sandbox runs it too. */
  #started = false;

  private constructor(options: SupervisorOptions, sandbox: PluginSandbox) {
    this.#options = options;
    this.#sandbox = sandbox;
  }

  /** Starts the plugin's first sandbox. */
  static async start(
    options: SupervisorOptions,
  ): Promise<{ plugin: SupervisedPlugin; manifest: ManifestDescription }> {
    const holder: { plugin?: SupervisedPlugin; sandbox?: PluginSandbox } = {};
    const { sandbox, manifest } = await PluginSandbox.start({
      ...options,
      onExit: (reason, stuck) => holder.plugin?.exited(reason, holder.sandbox, stuck),
    });
    holder.sandbox = sandbox;
    try {
      await mustPass(sandbox, "setup");
    } catch (e) {
      sandbox.terminate("its setup failed");
      throw e;
    }
    const plugin = new SupervisedPlugin(options, sandbox);
    holder.plugin = plugin;
    return { plugin, manifest };
  }

  /** Running or quarantined, restarts so far, and the last reason it stopped. */
  get health(): PluginHealth {
    const h: PluginHealth = {
      status: Date.now() < this.#until || this.#sandbox.deadReason ? "quarantined" : "running",
      restarts: this.#restarts,
    };
    if (this.#reason) h.lastError = this.#reason;
    return h;
  }

  /** Undefined: a supervised plugin is never dead for good, only quarantined for a while. */
  get deadReason(): string | undefined {
    return this.#closed ? "stopped" : undefined;
  }

  /** Runs a pipe in the current sandbox, restarting it first if it died. */
  async run(input: RunInput, timeoutMs: number): Promise<PipeOutcome> {
    let sandbox: PluginSandbox;
    try {
      sandbox = await this.#live();
    } catch (e) {
      return { status: "failed", error: { name: "Error", message: (e as Error).message } };
    }
    let outcome = await sandbox.run(input, timeoutMs);
    if (outcome.status === "failed" && outcome.error.name === NOT_SENT) {
      // Its sandbox was stopped before it received the request: run it in the next one.
      try {
        outcome = await (await this.#live()).run(input, timeoutMs);
      } catch (e) {
        return { status: "failed", error: { name: "Error", message: (e as Error).message } };
      }
    }
    if (outcome.status !== "failed") this.#failures = 0;
    return outcome;
  }

  /**
   * Runs a whole `for_each` in the sandbox. When the sandbox dies, the items that may have run
   * fail, and the loop goes on in a new sandbox from the first item that certainly did not.
   */
  async runLoop(input: LoopInput, hooks: LoopHooks = {}): Promise<LoopResult> {
    const all = input.items ??
      ((input.itemsRef!.data as Record<string, unknown>)[input.itemsRef!.field] as unknown[]);
    const sum = { succeeded: 0, failed: 0, skipped: 0 };
    const failures: LoopFailure[] = [];
    let part: LoopInput = input;
    while (true) {
      let run;
      try {
        const sandbox = await this.#live();
        run = await sandbox.loop(part, {
          signal: hooks.signal,
          progress: (n, total) =>
            hooks.progress?.({
              succeeded: sum.succeeded + n.succeeded,
              failed: sum.failed + n.failed,
              skipped: sum.skipped + n.skipped,
            }, part.base + total),
        });
      } catch (e) {
        if ((e as Error).name === NOT_SENT) continue;
        if (part === input) throw e;
        // The plugin could not be restarted: the items left fail with the reason.
        const left = all.length - part.base;
        const error = { name: "Error", message: (e as Error).message };
        for (let i = 0; i < left && failures.length < 100; i++) {
          failures.push({ index: part.base + i, step: input.step.id, error });
        }
        sum.failed += left;
        return { ...sum, total: all.length, notStarted: 0, failures };
      }
      sum.succeeded += run.counts.succeeded;
      sum.failed += run.counts.failed;
      sum.skipped += run.counts.skipped;
      failures.push(...run.failures.slice(0, 100 - failures.length));
      const next = run.died?.resumeFrom;
      if (next === undefined || next >= all.length || hooks.signal?.aborted) {
        const notStarted = run.notStarted + (next === undefined ? 0 : all.length - next);
        if (!run.died) this.#failures = 0;
        return { ...sum, total: all.length, notStarted, failures };
      }
      part = { ...input, items: all.slice(next), base: next };
      delete part.itemsRef;
    }
  }

  /** Creates a service, and again in every later sandbox. */
  async create(
    instance: string,
    name: string,
    params: unknown,
    services: Record<string, string>,
  ): Promise<void> {
    const sandbox = await this.#live();
    await sandbox.create(instance, name, params, services);
    this.#services.push({ instance, name, params, services });
  }

  /** Calls a method of a service that lives in this plugin. */
  async invoke(
    instance: string,
    method: string,
    args: unknown[],
    options: InvokeOptions = {},
  ): Promise<unknown> {
    try {
      return await (await this.#live()).invoke(instance, method, args, options);
    } catch (e) {
      if ((e as Error).name !== NOT_SENT) throw e;
      return await (await this.#live()).invoke(instance, method, args, options);
    }
  }

  /** Validates params against an injectable's schema. */
  async validate(kind: InjectableKind, name: string, params: unknown): Promise<ParamIssue[]> {
    return (await this.#live()).validate(kind, name, params);
  }

  /**
   * Runs a lifecycle request in the current sandbox (`start`, `health` and events restart a
   * dead one first; `stop` and `close` have nothing left to do in a dead one).
   */
  async lifecycle(request: LifecycleRequest, timeoutMs: number): Promise<Outcome> {
    if (this.#closed) return { status: "skipped", reason: "the plugin was stopped" };
    const ending = request.hook === "stop" || request.hook === "close";
    let sandbox = this.#sandbox;
    if (ending && sandbox.deadReason) {
      return { status: "skipped", reason: `its sandbox is not running: ${sandbox.deadReason}` };
    }
    try {
      if (!ending) sandbox = await this.#live();
    } catch (e) {
      return { status: "failed", error: { name: "Error", message: (e as Error).message } };
    }
    const outcome = await sandbox.ask(request, timeoutMs);
    if (request.hook === "start") this.#started = outcome.status !== "failed";
    if (request.hook === "stop") this.#started = false;
    if (request.hook === "close") {
      this.#services = this.#services.filter((s) => s.instance !== request.instance);
    }
    return outcome;
  }

  /**
   * Replaces the sandbox with one started from `changes` (the plugin's changed code, vetted by
   * the caller, under the same permissions): it passes `setup()`, gets the plugin's services
   * and `start()` first; requests in flight finish in the old one, which is then stopped.
   *
   * @throws {Error} When the new sandbox could not start; the old one keeps running.
   */
  async reload(changes: Pick<SupervisorOptions, "url" | "verify">): Promise<void> {
    if (this.#closed) throw new Error("the plugin was stopped");
    const options = { ...this.#options, ...changes };
    const sandbox = await freshSandbox(options, this.#handover());
    const old = this.#sandbox;
    this.#options = options;
    this.#sandbox = sandbox;
    [this.#failures, this.#until] = [0, 0];
    void retire(old, this.#started);
  }

  /** What a new sandbox takes over from the current one. */
  #handover(): Handover {
    return { services: this.#services, started: this.#started, died: this.exited.bind(this) };
  }

  /** Stops the plugin for good. */
  terminate(reason = "stopped"): void {
    this.#closed = true;
    this.#sandbox.terminate(reason);
  }

  /** Records that a sandbox died (called by the sandbox); only the current one counts. */
  exited(reason: string, from?: PluginSandbox, stuck = false): void {
    if (this.#closed || (from && from !== this.#sandbox)) return;
    this.#reason = reason;
    if (stuck) this.#options = afterStuck(this.#options);
    const backoff = this.#failures && Math.min(1000 * 2 ** (this.#failures - 1), MAX_BACKOFF_MS);
    this.#failures++;
    this.#until = Date.now() + backoff;
    this.#options.onLog?.("warning", "Plugin sandbox stopped: {reason}; restart in {wait}", {
      reason,
      wait: formatMs(backoff),
    });
  }

  async #live(): Promise<PluginSandbox> {
    if (this.#closed) throw new Error("the plugin was stopped");
    if (!this.#sandbox.deadReason) return this.#sandbox;
    const wait = this.#until - Date.now();
    if (wait === Infinity) throw new Error(`the plugin is quarantined: ${this.#reason}`);
    if (wait > 0) {
      throw new Error(
        `the plugin is quarantined after "${this.#reason}"; next restart in ${formatMs(wait)}`,
      );
    }
    this.#starting ??= this.#restart().finally(() => this.#starting = undefined);
    return await this.#starting;
  }

  async #restart(): Promise<PluginSandbox> {
    const changed = await this.#options.verify?.();
    if (changed) {
      // Never run code that was not vetted: stay quarantined until otai starts again.
      this.#reason = changed;
      this.#until = Infinity;
      throw new Error(`the plugin was not restarted: ${changed}`);
    }
    try {
      const sandbox = await freshSandbox(this.#options, this.#handover());
      this.#sandbox = sandbox;
      this.#restarts++;
      return sandbox;
    } catch (e) {
      this.exited(`restart failed: ${(e as Error).message}`);
      throw new Error(`the plugin could not be restarted: ${(e as Error).message}`);
    }
  }
}
