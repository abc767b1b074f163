import { getLogger } from "@logtape/logtape";
import type { BullMQ } from "./_bullmq.ts";
import type { DistributedLoop, ItemOutcome, RemoteLoop } from "../core/engine/distribute.ts";
import { checkOutcome, type ItemJob } from "./job.ts";

/** How often pending jobs are looked up, beside the events (which a reconnect can miss). */
const POLL_MS = 2000;

/** How a loop's jobs are retried, and when it gives up. */
export interface LoopSettings {
  /** Tries of a job its worker could not finish (a refused job is not retried). */
  attempts: number;
  /** The wait before the first retry, doubled for each one after. */
  retryDelayMs: number;
  /** How long a loop waits while no job is active or finishes. */
  idleMs: number;
}

/** What BullMQ keeps of finished jobs: a day (completed) and a week (failed), 10,000 each. */
const KEEP = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

/** A queue and its events, shared by the loops of one `for_each` step. */
export interface QueuePair {
  /** The queue. */
  queue: BullMQ.Queue;
  /** Its events. */
  events: BullMQ.QueueEvents;
  /** The `Job` class, for lookups. */
  Job: typeof BullMQ.Job;
}

interface Pending {
  item: unknown;
  data: ItemJob;
  /** Whether Redis took the job (its add resolved): a job it took and then lost is re-added. */
  added: boolean;
  resolve: (outcome: ItemOutcome | undefined) => void;
}

const log = getLogger(["otai", "queue"]);

/**
 * One run of a distributed `for_each`: each item a job, its outcome from the queue's events
 * (or a lookup, should an event be missed), each resolved once. A loop with nothing active or
 * finished for `idleMs` fails what is left: no worker is there to take it. A job Redis lost
 * (restarted without persistence) is queued again under its id, so its item still runs.
 */
export class RemoteItems implements RemoteLoop {
  #pair: QueuePair;
  #loop: DistributedLoop;
  #hashes: Record<string, string>;
  #idleMs: number;
  #jobOptions: BullMQ.JobsOptions;
  #id = crypto.randomUUID();
  #pending = new Map<string, Pending>();
  #timer: ReturnType<typeof setInterval>;
  #lastProgress = Date.now();
  #polling = false;
  #onCompleted = (a: { jobId: string; returnvalue: unknown }) => this.#done(a.jobId, a.returnvalue);
  #onFailed = (a: { jobId: string; failedReason: string }) => this.#fail(a.jobId, a.failedReason);
  #onAbort = () => void this.#takeBack();

  /** Starts listening for the loop's jobs. */
  constructor(
    pair: QueuePair,
    loop: DistributedLoop,
    hashes: Record<string, string>,
    settings: LoopSettings,
  ) {
    this.#pair = pair;
    this.#loop = loop;
    this.#hashes = hashes;
    this.#idleMs = settings.idleMs;
    this.#jobOptions = {
      ...KEEP,
      attempts: settings.attempts,
      backoff: { type: "exponential", delay: settings.retryDelayMs },
    };
    pair.events.on("completed", this.#onCompleted);
    pair.events.on("failed", this.#onFailed);
    loop.signal?.addEventListener("abort", this.#onAbort);
    this.#timer = setInterval(() => {
      this.#giveUpWhenIdle();
      if (this.#polling) return; // the last lookup is still going (a slow or absent Redis)
      this.#polling = true;
      this.#poll().catch(() => {}).finally(() => (this.#polling = false));
    }, POLL_MS);
  }

  /** Enqueues the item and waits for what it came to. */
  run(item: unknown, index: number): Promise<ItemOutcome | undefined> {
    const jobId = `${this.#id}-${index}`;
    const { runner, step, steps, params, cycle } = this.#loop;
    const data: ItemJob = {
      request: { runner, step, steps, params, cycle, item, index },
      hashes: this.#hashes,
    };
    return new Promise((resolve) => {
      const p: Pending = { item, data, added: false, resolve };
      this.#pending.set(jobId, p);
      this.#add(jobId, p);
    });
  }

  #add(jobId: string, p: Pending): void {
    this.#pair.queue.add("item", p.data, { ...this.#jobOptions, jobId }).then(
      () => void (p.added = true),
      (e: Error) => this.#fail(jobId, `Cannot queue the item: ${e.message}`),
    );
  }

  #settle(jobId: string, outcome: ItemOutcome | undefined): void {
    const p = this.#pending.get(jobId);
    if (!p) return; // another loop's job, or told twice: each item counts once
    this.#pending.delete(jobId);
    this.#lastProgress = Date.now();
    p.resolve(outcome);
  }

  #done(jobId: string, value: unknown): void {
    const p = this.#pending.get(jobId);
    if (!p) return;
    try {
      this.#settle(jobId, checkOutcome(value));
    } catch (e) {
      this.#fail(jobId, (e as Error).message);
    }
  }

  #fail(jobId: string, reason: string): void {
    const p = this.#pending.get(jobId);
    if (!p) return;
    const failures = [{ item: p.item, step: this.#loop.step, error: reason }];
    this.#settle(jobId, { status: "failed", failures });
  }

  /**
   * Looks up pending jobs that finished unseen (their events missed in a reconnect), and
   * queues again those Redis took and no longer has.
   */
  async #poll(): Promise<void> {
    const { queue, Job } = this.#pair;
    if (await queue.getActiveCount() > 0) this.#lastProgress = Date.now();
    let lost = 0;
    for (const [id, p] of [...this.#pending]) {
      const job = await Job.fromId(queue, id);
      if (!job && p.added && this.#pending.has(id)) {
        p.added = false;
        lost++;
        this.#add(id, p);
      }
      if (!job?.finishedOn) continue;
      if (await job.isCompleted()) this.#done(id, job.returnvalue);
      else if (await job.isFailed()) this.#fail(id, job.failedReason);
    }
    if (lost) {
      log.warn(
        "Redis no longer had {lost} jobs of queue {queue} (restarted without persistence?); " +
          "queued them again",
        { lost, queue: queue.name },
      );
    }
  }

  /**
   * Fails what is left once nothing was active or finished for `idleMs`: no worker runs, or
   * Redis has been away that long. Runs on the timer, not after a lookup that may hang.
   */
  #giveUpWhenIdle(): void {
    if (!this.#pending.size || Date.now() - this.#lastProgress <= this.#idleMs) return;
    const queue = this.#pair.queue;
    const reason = `no job of queue "${queue.name}" was taken or finished for ` +
      `${Math.round(this.#idleMs / 1000)} s (no worker running, or Redis unreachable); start ` +
      '"otai worker" with this config on a machine that reaches the queue\'s Redis';
    for (const id of [...this.#pending.keys()]) {
      queue.remove(id).catch(() => 0);
      this.#fail(id, reason);
    }
  }

  /** A stop: jobs no worker has taken yet are removed, and count as not started. */
  async #takeBack(): Promise<void> {
    const { queue, Job } = this.#pair;
    for (const id of [...this.#pending.keys()]) {
      const job = await Job.fromId(queue, id).catch(() => undefined);
      if (!job || !(await job.isWaiting().catch(() => false))) continue;
      if (await job.remove().then(() => true, () => false)) this.#settle(id, undefined);
    }
  }

  /** Stops listening; jobs still queued (none, once every item is done) are removed. */
  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.#timer);
    this.#pair.events.off("completed", this.#onCompleted);
    this.#pair.events.off("failed", this.#onFailed);
    this.#loop.signal?.removeEventListener("abort", this.#onAbort);
    for (const id of this.#pending.keys()) {
      await this.#pair.queue.remove(id).catch(() => 0);
    }
  }
}
