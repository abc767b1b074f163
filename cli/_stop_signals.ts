import { formatMs } from "../core/duration.ts";

/** A stop on request: its signal, and the exit code once it had to cut work short. */
export interface Stop extends Disposable {
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
export function stopOnSignals(graceMs: number, cut: () => void): Stop {
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
