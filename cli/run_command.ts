import { openConfig } from "../loader/open_config.ts";
import type { Progress, RunnerResult } from "../core/engine/engine.ts";
import { escapeControl } from "./_text.ts";
import { ProgressLine, reports, summaryTable } from "./_output.ts";
import { writeStatus } from "./_status_file.ts";
import { print, secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";

/**
 * `otai run`: runs every runner, stops gracefully on SIGINT/SIGTERM, prints the summary or
 * the results document.
 *
 * @returns 0 when every runner succeeded, else 1.
 */
export async function run(file: string, json: boolean, modes: Modes): Promise<number> {
  const started = Date.now();
  using app = await openConfig(file, { chdir: true, ...modes });
  secrets.addAll(app.secrets);
  using stop = stopOnSignals();
  let results;
  const progress = Deno.stderr.isTerminal() && !json ? new ProgressLine() : undefined;
  try {
    const last = new Map<string, RunnerResult>();
    results = await app.run({
      signal: stop.signal,
      ...(progress ? { onProgress: (p: Progress) => progress.update(p) } : {}),
      onCycle(r) {
        last.set(r.id, r);
        if (app.plan.runners.some((x) => x.intervalMs !== undefined || x.cron)) {
          writeStatus(app, last, secrets);
        }
      },
    });
  } finally {
    progress?.clear();
  }
  const failed = results.some((r) => r.status === "failed");
  // Redacted as values, before anything is serialized or cut short.
  results = secrets.redactValue(results);
  const plugins = secrets.redactValue(app.plugins.map((p) => ({
    prefix: p.prefix,
    isolation: p.isolation,
    ...(p.runtime.health ?? { status: "running", restarts: 0 }),
  })));
  if (json) {
    const doc = {
      config: file,
      status: failed ? "failed" : "succeeded",
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
  return failed ? 1 : 0;
}

/**
 * SIGINT and SIGTERM abort the returned signal: the items in flight finish, nothing new starts.
 * A second Ctrl-C quits at once.
 */
function stopOnSignals(): { signal: AbortSignal } & Disposable {
  const controller = new AbortController();
  let stoppedAt = 0;
  const stop = () => {
    // A Ctrl-C reaches both a re-run otai and its parent, which passes it on: one key press can
    // arrive twice. Only a second press (a moment later) quits at once.
    if (controller.signal.aborted) {
      if (Date.now() - stoppedAt > 500) Deno.exit(130);
      return;
    }
    stoppedAt = Date.now();
    console.error("otai: stopping after the current work (press Ctrl-C again to quit now)");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  return {
    signal: controller.signal,
    [Symbol.dispose]() {
      Deno.removeSignalListener("SIGINT", stop);
      if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", stop);
    },
  };
}
