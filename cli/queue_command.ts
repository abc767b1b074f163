import { loadConfig } from "../core/config/load_config.ts";
import { ConfigError } from "../core/errors.ts";
import { probeQueue } from "../queue/connect_queue.ts";
import { queueStatus } from "../queue/queue_status.ts";
import { distributedSteps, queueUrl } from "./_queue_mode.ts";
import { print, secrets } from "./_io.ts";

/**
 * `otai queue status`: per distributed `for_each` of the config, its jobs waiting, active,
 * delayed, completed and failed, and the workers taking them. Loads no plugin.
 *
 * @returns 0; 2 for a config error or an unreachable Redis (thrown, and reported by `main`).
 */
export async function queueStatusCommand(file: string, json: boolean): Promise<number> {
  const config = await loadConfig(file);
  secrets.addAll(config.secrets);
  if (config.diagnostics.length) throw new ConfigError(config.diagnostics);
  const url = queueUrl(config.queue);
  const steps = distributedSteps(config.runners);
  if (!url || !steps.length) {
    return print(`${file} distributes no for_each (no queue: or no distribute: true)\n`, 0);
  }
  await probeQueue(url);
  const all = await queueStatus(url, steps);
  if (json) return print(JSON.stringify(all, null, 2) + "\n", 0);
  let text = "";
  for (const q of all) {
    text += `${q.runner}.${q.step} (${q.queue}): ${q.waiting} waiting, ${q.active} active, ` +
      `${q.delayed} delayed, ${q.completed} completed, ${q.failed} failed\n`;
    text += `  workers: ${q.workers.length ? q.workers.join(", ") : "none"}\n`;
  }
  return print(secrets.redactText(text), 0);
}
