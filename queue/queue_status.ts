/**
 * `otai queue status`: per distributed `for_each`, its jobs by state and the workers that take
 * them, read from Redis.
 *
 * @module
 */
import { bullmq } from "./_bullmq.ts";
import { PREFIX, queueName } from "./_names.ts";
import { connectionOptions } from "./connect_queue.ts";

/** The state of one distributed `for_each`'s queue. */
export interface QueueStatus {
  /** The runner id. */
  runner: string;
  /** The `for_each` step id. */
  step: string;
  /** The queue, as its Redis keys start. */
  queue: string;
  /** Jobs waiting for a worker. */
  waiting: number;
  /** Jobs a worker is running. */
  active: number;
  /** Jobs waiting to be retried (after a failure, with backoff). */
  delayed: number;
  /** Jobs done (kept for a day, at most 10 000). */
  completed: number;
  /** Jobs failed after their retries (kept for a week, at most 10 000). */
  failed: number;
  /** The workers connected to it: host/pid/hash prefix. */
  workers: string[];
}

/**
 * Reads the queues of the given distributed steps.
 *
 * @param url The queue URL.
 * @param steps The runner and step of each distributed `for_each`.
 * @returns One status per step.
 */
export async function queueStatus(
  url: string,
  steps: { runner: string; step: string }[],
): Promise<QueueStatus[]> {
  const { Queue } = await bullmq();
  const connection = connectionOptions(url);
  return await Promise.all(steps.map(async ({ runner, step }) => {
    const name = queueName(runner, step);
    const queue = new Queue(name, { prefix: PREFIX, connection });
    try {
      const counts = await queue.getJobCounts(
        "waiting",
        "active",
        "delayed",
        "completed",
        "failed",
      );
      const clients = await queue.getWorkers();
      const workers = [...new Set(clients.map((c) => String(c.rawname ?? "").split(":w:")[1]))]
        .filter((w): w is string => !!w).sort();
      return {
        runner,
        step,
        queue: `${PREFIX}:${name}`,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
        workers,
      };
    } finally {
      await queue.close();
    }
  }));
}
