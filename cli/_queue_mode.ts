import type { Distribute } from "../core/engine/distribute.ts";
import type { OpenConfig } from "../loader/open_config.ts";
import { probeQueue } from "../queue/connect_queue.ts";
import { parseQueueUrl } from "../queue/queue_url.ts";
import { QueueScheduler } from "../queue/scheduler.ts";
import { startQueueWorkers } from "../queue/queue_worker.ts";
import { secrets } from "./_io.ts";

/** The runner and step of each `for_each` with `distribute: true`. */
export function distributedSteps(
  runners: { id: string; steps: { id: string; distribute?: boolean }[] }[],
): { runner: string; step: string }[] {
  return runners.flatMap((r) =>
    r.steps.filter((s) => s.distribute).map((s) => ({ runner: r.id, step: s.id }))
  );
}

/** The queue URL of a config, its password a secret from now on (never shown). */
export function queueUrl(queue: { url: string } | undefined): string | undefined {
  if (!queue) return undefined;
  try {
    const { password } = parseQueueUrl(queue.url);
    if (password) secrets.add(password);
  } catch {
    // the probe reports the URL (redacted)
  }
  return queue.url;
}

/** How `otai run` runs a config: its queue scheduler's hook, if any; dispose to close it. */
export interface QueueMode extends AsyncDisposable {
  /** `distribute` for `app.run`, in queue mode; empty otherwise. */
  options: { distribute?: Distribute };
}

/**
 * For `otai run`: registers the config's secrets for redaction (the queue's password among
 * them) and, when the config distributes a `for_each`, checks that its Redis answers and
 * opens the scheduler, and with `work` > 0 (`--work`) a worker in this process too, taking
 * `work` jobs at a time per step. Any other config loads nothing of BullMQ.
 *
 * @throws {QueueUnreachableError} When Redis does not answer within 5 s (exit 2).
 */
export async function queueMode(app: OpenConfig, work = 0): Promise<QueueMode> {
  secrets.addAll(app.secrets);
  const url = queueUrl(app.queue);
  if (!url || !distributedSteps(app.plan.runners).length) {
    return { options: {}, [Symbol.asyncDispose]: () => Promise.resolve() };
  }
  await probeQueue(url);
  const settings = app.queue!;
  const scheduler = new QueueScheduler({ ...settings, hashes: app.hashes });
  const workers = work > 0
    ? await startQueueWorkers(app, { ...settings, concurrency: work })
    : undefined;
  return {
    options: { distribute: scheduler.distribute },
    async [Symbol.asyncDispose]() {
      await workers?.close();
      await scheduler[Symbol.asyncDispose]();
    },
  };
}
