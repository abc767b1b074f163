import { openConfig } from "../loader/open_config.ts";
import { probeQueue } from "../queue/connect_queue.ts";
import { startQueueWorkers } from "../queue/queue_worker.ts";
import { ConfigError } from "../core/errors.ts";
import { distributedSteps, queueUrl } from "./_queue_mode.ts";
import { stopOnSignals } from "./_stop_signals.ts";
import { secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";

/**
 * `otai worker`: takes the jobs of the config's distributed `for_each` steps from its queue
 * and runs them with its own plugins, grants, environment and secrets, until SIGINT or
 * SIGTERM; then takes no new job and lets the jobs in flight finish (`defaults.stop_grace`).
 *
 * @returns 0 after a stop with the jobs in flight done; 130 (SIGINT) or 143 (SIGTERM) when
 * the stop had to cut them short (they are retried on another worker).
 * @throws {ConfigError} When the config has no `queue:` or no distributed `for_each` (exit 2).
 * @throws {QueueUnreachableError} When Redis does not answer within 5 s (exit 2).
 */
export async function worker(file: string, modes: Modes, concurrency?: number): Promise<number> {
  await using app = await openConfig(file, { chdir: true, ...modes });
  secrets.addAll(app.secrets);
  const url = queueUrl(app.queue);
  if (!url || !distributedSteps(app.plan.runners).length) {
    throw new ConfigError([{
      file,
      line: 1,
      column: 1,
      path: "queue",
      message: 'otai worker needs a queue: add queue: { url: "redis://host:6379" } at the top ' +
        "level, and distribute: true on the for_each steps whose items the workers share",
    }]);
  }
  await probeQueue(url);
  let cut = false;
  using stop = stopOnSignals(app.stopGraceMs, () => {
    cut = true;
    app.close();
  });
  const workers = await startQueueWorkers(app, {
    ...app.queue!,
    ...(concurrency ? { concurrency } : {}),
    cut: () => cut,
  });
  console.error(`otai worker ${workers.name}: ready (stop with Ctrl-C or SIGTERM)`);
  await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
  await workers.close();
  return stop.forced ?? 0;
}
