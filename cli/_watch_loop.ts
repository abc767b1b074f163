import { getLogger } from "@logtape/logtape";
import type { RunnerResult } from "../core/engine/engine.ts";
import type { OrchestrateOptions } from "../core/orchestrator.ts";
import type { OpenConfig } from "../loader/open_config.ts";

const log = getLogger(["otai", "watch"]);

/**
 * `otai run --watch`: runs the runners while the local plugins are watched. Scheduled runners
 * keep running across reloads (their next cycle uses the new sandbox); once every runner has
 * finished, otai stays up, and runs the runners again after each successful reload, until the
 * signal aborts.
 *
 * @returns The last results of the runners.
 */
export async function runWatching(
  app: OpenConfig,
  options: OrchestrateOptions & { signal: AbortSignal },
): Promise<RunnerResult[]> {
  const { signal } = options;
  let reloaded = false;
  let wake: (() => void) | undefined;
  const watching = app.watch({
    signal,
    onReload() {
      reloaded = true;
      wake?.();
    },
  });
  try {
    let results = await app.run(options);
    while (!signal.aborted) {
      if (!reloaded) {
        log.info("--watch: the runners finished; they run again after a plugin reloads");
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      }
      if (signal.aborted) break;
      reloaded = false;
      results = await app.run(options);
    }
    return results;
  } finally {
    await watching;
  }
}
