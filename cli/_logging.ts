import {
  configureSync,
  defaultTextFormatter,
  jsonLinesFormatter,
  type LogLevel,
  type LogRecord,
  resetSync,
} from "@logtape/logtape";

let before: (() => void) | undefined;

/** Runs `fn` before the next log record is written (e.g. to clear a progress line). */
export function beforeLogRecord(fn: () => void): void {
  before = fn;
}

/** Replaces every secret in a text with `***`. */
export function redact(text: string, secrets: Iterable<string>): string {
  for (const s of secrets) if (text.includes(s)) text = text.replaceAll(s, "***");
  return text;
}

/**
 * Sends otai's logs to stderr as text or JSON lines, with every secret redacted.
 * The secrets set may grow after this call (it is read on every record).
 */
export function setupLogging(
  level: LogLevel,
  format: "text" | "json",
  secrets: ReadonlySet<string>,
): void {
  const formatter = format === "json" ? jsonLinesFormatter : defaultTextFormatter;
  const encoder = new TextEncoder();
  const sink = (record: LogRecord) => {
    before?.();
    before = undefined;
    Deno.stderr.writeSync(encoder.encode(redact(formatter(record), secrets)));
  };
  resetSync();
  configureSync({
    reset: true,
    sinks: { stderr: sink },
    loggers: [
      { category: ["otai"], lowestLevel: level, sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}
