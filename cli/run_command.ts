import { openConfig } from "../loader/open_config.ts";
import type { Progress, RunnerResult } from "../core/engine/engine.ts";
import { escapeControl } from "./_text.ts";
import { ProgressLine, reports, summaryTable } from "./_output.ts";
import { writeStatus } from "./_status_file.ts";
import { print, secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";
import { runWatching } from "./_watch_loop.ts";
import { stopOnSignals } from "./_stop_signals.ts";
import { queueMode } from "./_queue_mode.ts";

/** How `otai run` fetches remote plugins, and whether it watches local ones (`--watch`). */
export type RunModes = Modes & { watch?: boolean; work?: number };

/**
 * `otai run`: runs every runner, stops gracefully on SIGINT/SIGTERM, prints the summary or
 * the results document. With `watch`, reloads changed local plugins until stopped.
 *
 * @returns 0 when every runner succeeded or stopped on request with its work in flight done; 1
 * when a runner failed; 130 (SIGINT) or 143 (SIGTERM) when a stop had to cut work short.
 */
export async function run(file: string, json: boolean, modes: RunModes): Promise<number> {
  const started = Date.now();
  await using app = await openConfig(file, { chdir: true, ...modes });
  await using queue = await queueMode(app, modes.work ?? 0);
  using stop = stopOnSignals(app.stopGraceMs, () => app.close());
  let results;
  const progress = Deno.stderr.isTerminal() && !json ? new ProgressLine() : undefined;
  try {
    const last = new Map<string, RunnerResult>();
    const opts = {
      signal: stop.signal,
      ...queue.options,
      ...(progress ? { onProgress: (p: Progress) => progress.update(p) } : {}),
      onCycle(r: RunnerResult) {
        last.set(r.id, r);
        if (app.plan.runners.some((x) => x.intervalMs !== undefined || x.cron)) {
          writeStatus(app, last, secrets);
        }
      },
    };
    results = await (modes.watch ? runWatching(app, opts) : app.run(opts));
  } finally {
    progress?.clear();
  }
  // How each plugin did, before the shutdown stops them.
  const health = app.plugins.map((p) => p.runtime.health ?? { status: "running", restarts: 0 });
  // Services closed and stop() run before the summary: what went wrong there is logged first.
  await app.shutdown();
  const events = app.eventStats();
  const failed = results.some((r) => r.status === "failed");
  const stopped = results.some((r) => r.status === "stopped");
  // Redacted as values, before anything is serialized or cut short.
  results = secrets.redactValue(results);
  const plugins = secrets.redactValue(app.plugins.map((p, i) => ({
    prefix: p.prefix,
    isolation: p.isolation,
    ...health[i]!,
    ...(events.has(p.prefix) ? { events: events.get(p.prefix) } : {}),
  })));
  if (json) {
    const doc = {
      config: file,
      status: failed ? "failed" : stopped ? "stopped" : "succeeded",
      duration_ms: Date.now() - started,
      runners: results,
      plugins,
    };
    print(JSON.stringify(doc, null, 2) + "\n", 0);
  } else {
    let text = summaryTable(results, Date.now() - started);
    const troubled = plugins.filter((p) => p.restarts > 0 || p.status !== "running");
    for (const p of troubled) {
      const last = "lastError" in p && p.lastError ? `; last: ${escapeControl(p.lastError)}` : "";
      text += `plugin ${p.prefix}: ${p.status}, restarted ${p.restarts} time(s)${last}\n`;
    }
    text += reports(results);
    print(secrets.redactText(text), 0);
  }
  return stop.forced ?? (failed ? 1 : 0);
}
