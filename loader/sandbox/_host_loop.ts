/**
 * The host side of a `for_each` offloaded into a sandbox: it sends the loop once, follows its
 * progress reports, stops the sandbox when a step hangs past its timeout (the guest's own timers
 * cannot fire while plugin code holds the thread), and, when the sandbox dies, works out which
 * items may have run (never run again) and from where the loop can go on in a new sandbox.
 *
 * @module
 */
import type {
  LoopCounts,
  LoopFailure,
  LoopHooks,
  LoopInput,
  StepStates,
} from "../../core/contract.ts";
import { formatMs } from "../../core/duration.ts";
import {
  type DoneMessage,
  type HostMessage,
  LOOP_WINDOW,
  type LoopDone,
  type LoopMessage,
  type ProgressMessage,
} from "./protocol.ts";
import { passOn } from "./_raw_fields.ts";
import { isLoopDone } from "./_check_message.ts";
import { NOT_SENT } from "./_requests.ts";
import { tickMs } from "./_loop_timing.ts";

const MAX_FAILURES_KEPT = 100;

/** What a loop needs from its sandbox. */
export interface LoopLink {
  /** A fresh request id. */
  id(): number;
  /** Lets calls made under `origin` reach `services`, each bounded by `timeoutMs`. */
  grant(origin: number, services: ReadonlySet<string>, timeoutMs: number): void;
  /** Ends a grant. */
  revoke(origin: number): void;
  /** Scope ids for enclosing step states (sent when new). */
  scopes(layers: readonly StepStates[]): number[];
  /** Sends a request and waits for its `done`. */
  request(msg: LoopMessage): Promise<DoneMessage>;
  /** Sends a message. */
  send(msg: HostMessage): void;
  /** Stops the sandbox. */
  die(reason: string): void;
  /** Why the sandbox stopped, if it did. */
  dead(): string | undefined;
  /** Grace after a step's timeout before the sandbox is stopped. */
  killAfterMs: number;
}

/** How a loop ended in one sandbox. */
export interface LoopRun {
  /** Counts and failures of the items this sandbox ran (or may have run). */
  counts: LoopCounts;
  /** Items in all (from the first item of the input). */
  total: number;
  /** Items never started. */
  notStarted: number;
  /** Failures, at most 100. */
  failures: LoopFailure[];
  /** When the sandbox died: why, and the first item that certainly never started. */
  died?: { reason: string; resumeFrom: number };
}

/** One loop request in one sandbox, from sending to its end. */
export class HostLoop {
  #input: LoopInput;
  #hooks: LoopHooks;
  #link: LoopLink;
  #id: number;
  #next: number;
  #open: number[] = [];
  #counts: LoopCounts = { succeeded: 0, failed: 0, skipped: 0 };
  #failures: LoopFailure[] = [];
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #hangMs: number;
  /** Stops a sandbox that reports but finishes no item (a report proves nothing by itself). */
  #stall: ReturnType<typeof setTimeout> | undefined;
  #stallMs: number;
  #finished = 0;
  #total: number | undefined;

  /** Prepares the loop; `run` sends it. */
  constructor(input: LoopInput, hooks: LoopHooks, link: LoopLink) {
    this.#input = input;
    this.#hooks = hooks;
    this.#link = link;
    this.#id = link.id();
    this.#next = input.base;
    this.#total = input.items ? input.items.length : undefined;
    // The guest reports at least every tick while its thread is free, and gives the thread up
    // between sub-steps: only a step past its timeout holds it longer than the longest one.
    const longest = Math.max(...input.steps.map((s) => s.timeoutMs));
    // A timer waits at most 2^31 - 1 ms; a longer sum would fire at once.
    this.#hangMs = Math.min(longest + link.killAfterMs + 2 * tickMs(input.steps), 2 ** 31 - 1);
    // Each item ends within its sub-steps' timeouts, so some item ends within their sum.
    const item = input.steps.reduce((sum, s) => sum + s.timeoutMs, 0);
    this.#stallMs = Math.min(item + link.killAfterMs + 2 * tickMs(input.steps), 2 ** 31 - 1);
  }

  /** The request id, for routing progress reports. */
  get id(): number {
    return this.#id;
  }

  /** Runs the loop to its end in this sandbox. */
  async run(): Promise<LoopRun> {
    const link = this.#link;
    const steps = this.#input.steps.map((s) => {
      const origin = link.id();
      link.grant(origin, new Set(Object.values(s.services)), s.timeoutMs);
      return { ...s, origin };
    });
    const msg: LoopMessage = {
      t: "loop",
      id: this.#id,
      items: this.#input.items as unknown[] | null,
      base: this.#input.base,
      concurrency: this.#input.concurrency,
      steps,
      scopes: link.scopes(this.#input.layers),
      step: this.#input.step,
      killAfterMs: link.killAfterMs,
    };
    const ref = this.#input.itemsRef;
    if (ref) {
      const { params, rawParams } = passOn({ items: null }, [{ ...ref, path: ["items"] }]);
      if (rawParams[0]) msg.rawItems = rawParams[0].json;
      else msg.items = (params as { items: unknown[] }).items;
    }
    const stop = () => link.send({ t: "stop", id: this.#id });
    this.#hooks.signal?.addEventListener("abort", stop, { once: true });
    this.#arm();
    this.#armStall();
    let done: DoneMessage;
    try {
      const sent = link.request(msg);
      if (this.#hooks.signal?.aborted) stop();
      done = await sent;
    } finally {
      clearTimeout(this.#watchdog);
      clearTimeout(this.#stall);
      this.#hooks.signal?.removeEventListener("abort", stop);
      for (const s of steps) link.revoke(s.origin);
    }
    return this.#ended(done);
  }

  /** A progress report from the guest. */
  progress(p: ProgressMessage): void {
    this.#next = p.next;
    this.#open = p.open;
    this.#counts = { succeeded: p.succeeded, failed: p.failed, skipped: p.skipped };
    this.#keep(p.failures);
    this.#arm();
    const finished = p.succeeded + p.failed + p.skipped;
    if (finished > this.#finished) {
      this.#finished = finished;
      this.#armStall();
    }
    this.#hooks.progress?.(this.#counts, this.#totalItems());
  }

  #ended(done: DoneMessage): LoopRun {
    const o = done.outcome;
    if (o.status === "succeeded" && !isLoopDone(o.data)) {
      this.#link.die("the plugin broke the sandbox protocol: it ended a loop without its counts");
    } else if (o.status === "succeeded") {
      const d = o.data as LoopDone;
      this.#keep(d.failures);
      const counts = { succeeded: d.succeeded, failed: d.failed, skipped: d.skipped };
      return { counts, total: d.total, notStarted: d.notStarted, failures: this.#failures };
    }
    if (o.status === "failed" && o.error.name === "StuckStep") this.#link.die(o.error.message);
    const reason = this.#link.dead();
    if (o.status === "failed" && (reason === undefined || o.error.name === NOT_SENT)) {
      // A loop that could not start (items not a list), or was never sent: nothing ran.
      const error = new Error(o.error.message);
      error.name = o.error.name;
      throw error;
    }
    return this.#lost(reason ?? "the plugin stopped");
  }

  /**
   * The sandbox died: items in flight at its last report, and those it may have started since
   * (at most a window past that report), fail as "may have run"; the rest go on elsewhere.
   */
  #lost(reason: string): LoopRun {
    const total = this.#totalItems();
    const window = Math.max(LOOP_WINDOW, this.#input.concurrency);
    const end = this.#input.base + total;
    const resumeFrom = Math.min(end, this.#next + window);
    const lost = [...new Set([...this.#open, ...range(this.#next, resumeFrom)])].sort((a, b) =>
      a - b
    );
    const message = `the plugin stopped before this item's result was reported (${reason}); ` +
      "it is not run again, in case it did run";
    const step = this.#input.step.id;
    this.#keep(lost.map((index) => ({ index, step, error: { name: "Error", message } })));
    const counts = { ...this.#counts, failed: this.#counts.failed + lost.length };
    return { counts, total, notStarted: 0, failures: this.#failures, died: { reason, resumeFrom } };
  }

  #keep(failures: LoopFailure[]): void {
    for (const f of failures) {
      if (this.#failures.length < MAX_FAILURES_KEPT) this.#failures.push(f);
    }
  }

  #totalItems(): number {
    if (this.#total === undefined) {
      const ref = this.#input.itemsRef!;
      const items = (ref.data as Record<string, unknown>)[ref.field];
      this.#total = Array.isArray(items) ? items.length : 0;
    }
    return this.#total;
  }

  #armStall(): void {
    clearTimeout(this.#stall);
    this.#stall = setTimeout(() => {
      this.#link.die(
        `no item finished within ${formatMs(this.#stallMs)} (the sum of the loop's step ` +
          "timeouts and kill_after), so the plugin was stopped",
      );
    }, this.#stallMs);
  }

  /** Stops the sandbox when it reports nothing within the longest step timeout and its grace. */
  #arm(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#link.die(
        `a step did not stop within ${formatMs(this.#link.killAfterMs)} after its timeout, so ` +
          "the plugin was stopped",
      );
    }, this.#hangMs);
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
