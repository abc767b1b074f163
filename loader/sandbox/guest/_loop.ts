/**
 * A whole `for_each` run inside the sandbox: item by item, `concurrency` at a time, each item's
 * sub-steps in order with their params filled in from the item, its index and earlier
 * sub-steps' data. Step data never leaves the sandbox; counts, failures and progress go to the
 * host. The semantics are the engine's own loop: a failed sub-step ends its item unless it
 * continues on error, an item whose sub-steps were all skipped is skipped, each sub-step has its
 * own timeout and its own injected services.
 *
 * @module
 */
import type { LoopFailure, Outcome, StepStates } from "../../../core/contract.ts";
import type { PipeDefinition, PluginLogger, ServiceProxy } from "../../../core/types.ts";
import { LOOP_WINDOW, type LoopDone, type LoopMessage, type ProgressMessage } from "../protocol.ts";
import { tickMs } from "../_loop_timing.ts";
import { parseParams, wire } from "./_wire.ts";
import {
  duration,
  ended,
  fill,
  lastReaders,
  LoopContext,
  type Running,
  type StepEnd,
  StuckStep,
  succeeded,
  TimedOut,
} from "./_loop_parts.ts";

const MAX_FAILURES_KEPT = 100;
/** How long a loop may keep its thread before it lets timers and host messages in. */
const SLICE_MS = 8;

/** What a loop needs from the plugin server. */
export interface LoopServer {
  /** A pipe by name. */
  pipe(name: string): PipeDefinition | undefined;
  /** Service proxies for a step, calls made under `origin` with the step's `deadline`. */
  proxies(
    services: Record<string, string>,
    origin: number,
    deadline?: number,
  ): Record<string, ServiceProxy>;
  /** The plugin's logger. */
  log: PluginLogger;
  /** Posts a progress report now, ahead of anything batched. */
  report(msg: ProgressMessage): void;
  /** Lets timers and incoming messages run. */
  yield(): Promise<void>;
  /** How long a step may go on after its timeout before the sandbox is given up. */
  killAfterMs: number;
}

/**
 * Serves one loop request: parses its items, runs it, and says how it ended. A step stuck past
 * its timeout ends the loop as `StuckStep`, which tells the host to stop the sandbox.
 */
export async function serveLoop(
  msg: LoopMessage,
  scopes: ReadonlyMap<number, StepStates>,
  server: LoopServer,
  running: Map<number, GuestLoop>,
): Promise<Outcome> {
  try {
    const items = msg.rawItems === undefined ? msg.items : JSON.parse(msg.rawItems);
    if (!Array.isArray(items)) {
      const what = items === null ? "null" : typeof items;
      throw new TypeError(`for_each yielded ${what}, not a list`);
    }
    let outer: StepStates = {};
    for (const id of msg.scopes) outer = { ...outer, ...scopes.get(id) };
    const loop = new GuestLoop(msg, items, outer, server);
    running.set(msg.id, loop);
    return { status: "succeeded", data: await loop.run() };
  } catch (e) {
    if (e instanceof StuckStep) {
      return { status: "failed", error: { name: e.name, message: e.message } };
    }
    return { status: "failed", error: wire(e) };
  } finally {
    running.delete(msg.id);
  }
}

/** One loop request, run to its end. */
export class GuestLoop {
  #msg: LoopMessage;
  #server: LoopServer;
  #items: unknown[];
  #outer: StepStates;
  #next = 0;
  #reportedNext = 0;
  #open = new Set<number>();
  #counts = { succeeded: 0, failed: 0, skipped: 0 };
  #failures: LoopFailure[] = [];
  #kept = 0;
  #unreported: LoopFailure[] = [];
  #stopped = false;
  #running = new Set<Running>();
  #scheduled: ReturnType<typeof setTimeout> | undefined;
  #window: number;
  #lastYield = performance.now();
  #reportedSinceTick = false;
  /** Per step, per hole: whether it takes its value as it is (its last reader) or a copy. */
  #shared: boolean[][];
  #pipes: (PipeDefinition | undefined)[];

  /** Prepares the loop over `items` (checked to be a list by the caller). */
  constructor(msg: LoopMessage, items: unknown[], outer: StepStates, server: LoopServer) {
    this.#msg = msg;
    this.#server = server;
    this.#items = items;
    this.#outer = outer;
    this.#window = Math.max(LOOP_WINDOW, msg.concurrency);
    this.#shared = lastReaders(msg.steps.map((s) => s.holes));
    this.#pipes = msg.steps.map((s) => server.pipe(s.pipe));
  }

  /** Stops starting items; those in flight finish. */
  stop(): void {
    this.#stopped = true;
  }

  /** Runs every item; resolves with the counts, or rejects with {@linkcode StuckStep}. */
  async run(): Promise<LoopDone> {
    const n = this.#items.length;
    const tick = tickMs(this.#msg.steps);
    // The ticker times steps out, and tells the host the loop is alive while steps wait.
    const ticker = setInterval(() => {
      this.#expire();
      if (!this.#reportedSinceTick) this.#report();
      this.#reportedSinceTick = false;
    }, tick);
    const lane = async () => {
      while (this.#next < n && !this.#stopped) {
        if (this.#next >= this.#reportedNext + this.#window) this.#report();
        const i = this.#next++;
        this.#open.add(i);
        const status = await this.#item(i);
        this.#open.delete(i);
        this.#counts[status]++;
        this.#schedule();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.#msg.concurrency, n) }, lane));
    } finally {
      clearInterval(ticker);
      clearTimeout(this.#scheduled);
    }
    return {
      ...this.#counts,
      total: n,
      notStarted: n - this.#next,
      failures: this.#unreported.splice(0),
    };
  }

  async #item(i: number): Promise<"succeeded" | "failed" | "skipped"> {
    const index = this.#msg.base + i;
    const states: StepStates = {};
    const data: Record<string, unknown> = {};
    let status: "succeeded" | "failed" | "skipped" = "skipped";
    const steps = this.#msg.steps;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k]!;
      const begun = this.#step(k, i, index, states, data);
      const state = begun instanceof Promise ? await begun : begun;
      if (performance.now() - this.#lastYield > SLICE_MS) {
        // Long enough on the thread: let timers (timeouts, reports) and host messages in.
        await this.#server.yield();
        this.#lastYield = performance.now();
      }
      states[step.id] = state.state;
      if (state.state.status === "succeeded") {
        data[step.id] = state.data;
        if (status === "skipped") status = "succeeded";
        continue;
      }
      if (state.state.status !== "failed") continue;
      if (this.#kept < MAX_FAILURES_KEPT) {
        this.#kept++;
        this.#unreported.push({ index, step: step.id, error: state.error! });
      }
      if (!step.continueOnError) return "failed";
    }
    return status;
  }

  /** Runs sub-step `k` of item `i`: at once for a pipe that answers at once, else a promise. */
  #step(
    k: number,
    i: number,
    index: number,
    states: StepStates,
    data: Record<string, unknown>,
  ): StepEnd | Promise<StepEnd> {
    const step = this.#msg.steps[k]!;
    try {
      const pipe = this.#pipes[k];
      if (!pipe) throw new TypeError(`no pipe named "${step.pipe}"`);
      const params = fill(step.params, step.holes, this.#shared[k]!, this.#items[i], index, data);
      if (pipe.params) {
        return parseParams(pipe.params, params).then(
          (parsed) => this.#call(pipe, k, parsed, states),
          ended,
        );
      }
      return this.#call(pipe, k, params, states);
    } catch (e) {
      return ended(e);
    }
  }

  #call(
    pipe: PipeDefinition,
    k: number,
    params: unknown,
    states: StepStates,
  ): StepEnd | Promise<StepEnd> {
    const step = this.#msg.steps[k]!;
    const ctx = new LoopContext(params, states, this.#outer, step, this.#msg.step.runner);
    ctx.log = this.#server.log;
    if (Object.keys(step.services).length) {
      ctx.services = this.#server.proxies(step.services, step.origin, ctx.running.deadline);
    }
    let value: unknown;
    try {
      value = pipe.run(ctx as never);
    } catch (e) {
      return ended(e);
    }
    if (!(value instanceof Promise)) return succeeded(value);
    const running = ctx.running;
    const late = new Promise<never>((_, reject) => (running.fail = reject));
    this.#running.add(running);
    return Promise.race([value, late]).then(succeeded, async (e) => {
      if (e instanceof TimedOut) await this.#settle(value as Promise<unknown>, step.timeoutMs);
      return ended(e);
    }).finally(() => this.#running.delete(running));
  }

  /** Waits for a timed-out pipe to stop; one that goes on past the grace is stuck. */
  async #settle(pending: Promise<unknown>, timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<"stuck">((
      r,
    ) => (timer = setTimeout(() => r("stuck"), this.#server.killAfterMs)));
    const ended = await Promise.race([pending.then(() => "ended", () => "ended"), grace]);
    clearTimeout(timer);
    if (ended === "stuck") {
      throw new StuckStep(
        `a step did not stop within ${duration(this.#server.killAfterMs)} after its timeout ` +
          `(${duration(timeoutMs)}), so the plugin was stopped`,
      );
    }
  }

  #expire(): void {
    const now = Date.now();
    for (const r of this.#running) {
      if (now < r.deadline) continue;
      this.#running.delete(r);
      // The step fails as timed out first; then its signal tells the pipe to stop.
      r.fail(new TimedOut(r.timeoutMs));
      r.controller?.abort(new DOMException("The step timed out", "TimeoutError"));
    }
  }

  #schedule(): void {
    this.#scheduled ??= setTimeout(() => {
      this.#scheduled = undefined;
      this.#report();
    }, 0);
  }

  #report(): void {
    this.#reportedSinceTick = true;
    this.#reportedNext = this.#next;
    this.#server.report({
      t: "progress",
      id: this.#msg.id,
      next: this.#msg.base + this.#next,
      open: [...this.#open].map((i) => this.#msg.base + i),
      ...this.#counts,
      failures: this.#unreported.splice(0),
    });
  }
}
