import { openConfig } from "../loader/open_config.ts";
import type { Progress, RunnerResult } from "../core/engine/engine.ts";
import { escapeControl } from "./_text.ts";
import { formatMs } from "../core/duration.ts";
import { ProgressLine, reports, summaryTable } from "./_output.ts";
import { writeStatus } from "./_status_file.ts";
import { print, secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";

/**
 * `otai run`: runs every runner, stops gracefully on SIGINT/SIGTERM, prints the summary or
 * the results document.
 *
 * @returns 0 when every runner succeeded or stopped on request with its work in flight done; 1
 * when a runner failed; 130 (SIGINT) or 143 (SIGTERM) when a stop had to cut work short.
 */
export async function run(file: string, json: boolean, modes: Modes): Promise<number> {
  const started = Date.now();
  using app = await openConfig(file, { chdir: true, ...modes });
  secrets.addAll(app.secrets);
  using stop = stopOnSignals(app.stopGraceMs, () => app.close());
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
  const stopped = results.some((r) => r.status === "stopped");
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

/** A stop on request: its signal, and the exit code once it had to cut work short. */
interface Stop extends Disposable {
  /** Aborted by the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** 128 + the signal's number when work in flight was cut short, else undefined. */
  forced: number | undefined;
}

const SIGNAL_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * SIGINT and SIGTERM abort the returned signal: the work in flight may finish for `graceMs`,
 * nothing new starts. After that, `cut` stops the plugins (their steps fail, and the ticket
 * system's marks leave the tickets to the next run); if otai is still not done a moment later
 * (a plugin without a sandbox), it exits. A second signal quits at once.
 */
function stopOnSignals(graceMs: number, cut: () => void): Stop {
  const controller = new AbortController();
  let stoppedAt = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const stop: Stop = {
    signal: controller.signal,
    forced: undefined,
    [Symbol.dispose]() {
      timers.forEach(clearTimeout);
      for (const name of signals) Deno.removeSignalListener(name, handlers[name]);
    },
  };
  const on = (name: keyof typeof SIGNAL_CODE) => () => {
    // A Ctrl-C reaches both a re-run otai and its parent, which passes it on: one key press can
    // arrive twice. Only a second signal (a moment later) quits at once.
    if (controller.signal.aborted) {
      if (Date.now() - stoppedAt > 500) Deno.exit(SIGNAL_CODE[name]);
      return;
    }
    stoppedAt = Date.now();
    console.error(
      `otai: stopping after the current work (at most ${formatMs(graceMs)}; ` +
        `${name === "SIGINT" ? "press Ctrl-C" : "send SIGTERM"} again to quit now)`,
    );
    controller.abort();
    timers.push(setTimeout(() => {
      stop.forced = SIGNAL_CODE[name];
      console.error(
        `otai: work in flight did not finish within ${formatMs(graceMs)} of the stop; ` +
          "stopping the plugins (unfinished tickets are left to the next run)",
      );
      cut();
      timers.push(setTimeout(() => Deno.exit(SIGNAL_CODE[name]), CUT_WAIT_MS));
    }, graceMs));
  };
  const signals = Deno.build.os === "windows"
    ? ["SIGINT" as const]
    : ["SIGINT", "SIGTERM"] as const;
  const handlers = { SIGINT: on("SIGINT"), SIGTERM: on("SIGTERM") };
  for (const name of signals) Deno.addSignalListener(name, handlers[name]);
  return stop;
}

/** How long otai waits for its runners to end once their plugins were stopped. */
const CUT_WAIT_MS = 2000;
