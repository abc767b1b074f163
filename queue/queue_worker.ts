/**
 * The worker's side of queue mode (`otai worker`): one BullMQ worker per `for_each` with
 * `distribute: true`, each running its jobs with the config's own plugins, grants, environment
 * and secrets. Stall detection is tuned so that the jobs of a worker that died are taken by
 * another within seconds, not BullMQ's 30 s.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import type { ItemOutcome, ItemRequest } from "../core/engine/distribute.ts";
import { type BullMQ, bullmq } from "./_bullmq.ts";
import { PREFIX, queueName, workerName } from "./_names.ts";
import { connectionOptions } from "./connect_queue.ts";
import { checkJob, hashMismatch } from "./job.ts";
import { redactUrl } from "./queue_url.ts";

/** What a worker needs of an opened config. */
export interface WorkerApp {
  /** Its runners and their steps. */
  plan: { runners: { id: string; steps: { id: string; distribute?: boolean }[] }[] };
  /** Its plugin graph hashes by prefix. */
  hashes: Record<string, string>;
  /** Runs one item of a distributed `for_each`. */
  runItem(request: ItemRequest, options?: { signal?: AbortSignal }): Promise<ItemOutcome>;
}

/** Options for {@linkcode startQueueWorkers}. */
export interface QueueWorkerOptions {
  /** The queue URL (`queue.url`). */
  url: string;
  /** Jobs in flight at once, per distributed step (default 1). */
  concurrency?: number;
  /**
   * How long a job's lock lives unrenewed (default 5 s): a worker that died is replaced this
   * long after (`queue.stall_timeout`).
   */
  stallMs?: number;
  /** Whether the worker was cut short (its jobs are then failed, to be retried elsewhere). */
  cut?: () => boolean;
}

/** Running queue workers. */
export interface QueueWorkers {
  /** The name they show in `otai queue status`: host, pid and hash prefix. */
  name: string;
  /** The queues they take jobs from. */
  queues: string[];
  /** Takes no new job, waits for the jobs in flight, closes the connections. */
  close(): Promise<void>;
}

/**
 * Stall detection: a lock lives `stallMs` (renewed at half of it), stalled jobs are looked for
 * at 40% of it (2 s for the default 5 s); a job stalled twice fails.
 */
function stall(stallMs = 5000) {
  return { lockDuration: stallMs, stalledInterval: Math.round(stallMs * 0.4), maxStalledCount: 1 };
}

const log = getLogger(["otai", "queue"]);

/**
 * Starts taking the jobs of every distributed `for_each` of the config.
 *
 * @param app The opened config.
 * @param options The queue URL and the concurrency.
 * @returns The running workers.
 * @throws {RangeError} When the config has no `for_each` with `distribute: true`.
 */
export async function startQueueWorkers(
  app: WorkerApp,
  options: QueueWorkerOptions,
): Promise<QueueWorkers> {
  const names = app.plan.runners.flatMap((r) =>
    r.steps.filter((s) => s.distribute).map((s) => queueName(r.id, s.id))
  );
  if (!names.length) {
    throw new RangeError(
      "Cannot start a worker: the config has no for_each with distribute: true; add it to " +
        "the for_each steps whose items the workers should run",
    );
  }
  const bull = await bullmq();
  const name = workerName(app.hashes);
  const processor = jobProcessor(app, name, options, bull.UnrecoverableError);
  const connection = connectionOptions(options.url);
  const stalls = stall(options.stallMs);
  const workers = names.map((queue) => {
    const w = new bull.Worker(queue, processor, {
      ...stalls,
      prefix: PREFIX,
      connection,
      name,
      concurrency: options.concurrency ?? 1,
    });
    w.on("error", (e: Error) => log.warn("Worker {queue}: {error}", { queue, error: e.message }));
    w.on(
      "failed",
      (job, e) =>
        log.warn("Job {id} of {queue} failed: {error}", { id: job?.id, queue, error: e.message }),
    );
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info("Worker {name} takes jobs from {queues} at {url} (a job stalls after {stall} s)", {
    name,
    stall: stalls.lockDuration / 1000,
    queues: names.map((n) => `${PREFIX}:${n}`).join(", "),
    url: redactUrl(options.url),
  });
  return {
    name,
    queues: names,
    close: async () => void await Promise.all(workers.map((w) => w.close())),
  };
}

/** What runs each job: the hash check, then the item with this worker's plugins. */
function jobProcessor(
  app: WorkerApp,
  name: string,
  options: QueueWorkerOptions,
  UnrecoverableError: typeof BullMQ.UnrecoverableError,
) {
  return async (job: BullMQ.Job): Promise<ItemOutcome> => {
    const data = checkJob(job.data);
    const refusal = hashMismatch(data.hashes, app.hashes);
    if (refusal) {
      log.error("Refused job {id}: {reason}", { id: job.id, reason: refusal });
      throw new UnrecoverableError(`Worker ${name} refused the job: ${refusal}`);
    }
    log.debug("Taking job {id} (item {index}, try {attempt})", {
      id: job.id,
      index: data.request.index,
      attempt: job.attemptsMade + 1,
    });
    const outcome = await app.runItem(data.request);
    if (options.cut?.()) throw new Error(`worker ${name} was stopped before the item finished`);
    log.debug("Ran job {id} (item {index}): {status}", {
      id: job.id,
      index: data.request.index,
      status: outcome.status,
    });
    return outcome;
  };
}
