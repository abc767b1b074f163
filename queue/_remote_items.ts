import type { BullMQ } from "./_bullmq.ts";
import type { DistributedLoop, ItemOutcome, RemoteLoop } from "../core/engine/distribute.ts";
import { checkOutcome, type ItemJob } from "./job.ts";

/** How often pending jobs are looked up, beside the events (which a reconnect can miss). */
const POLL_MS = 2000;

/** The retries of a job that fails (a worker that died, a refused job is not retried). */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: "exponential", delay: 1000 },
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
  resolve: (outcome: ItemOutcome | undefined) => void;
}

/**
 * One run of a distributed `for_each`: each item a job, its outcome from the queue's events
 * (or a lookup, should an event be missed), each resolved once. A loop with nothing active or
 * finished for `idleMs` fails what is left: no worker is there to take it.
 */
export class RemoteItems implements RemoteLoop {
  #pair: QueuePair;
  #loop: DistributedLoop;
  #hashes: Record<string, string>;
  #idleMs: number;
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
    idleMs: number,
  ) {
    this.#pair = pair;
    this.#loop = loop;
    this.#hashes = hashes;
    this.#idleMs = idleMs;
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
      this.#pending.set(jobId, { item, resolve });
      this.#pair.queue.add("item", data, { ...JOB_OPTIONS, jobId }).catch((e: Error) =>
        this.#fail(jobId, `Cannot queue the item: ${e.message}`)
      );
    });
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

  /** Looks up pending jobs that finished unseen (their events missed in a reconnect). */
  async #poll(): Promise<void> {
    const { queue, Job } = this.#pair;
    if (await queue.getActiveCount() > 0) this.#lastProgress = Date.now();
    for (const id of [...this.#pending.keys()]) {
      const job = await Job.fromId(queue, id);
      if (!job?.finishedOn) continue;
      if (await job.isCompleted()) this.#done(id, job.returnvalue);
      else if (await job.isFailed()) this.#fail(id, job.failedReason);
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
