import {
  configureSync,
  defaultTextFormatter,
  jsonLinesFormatter,
  type LogLevel,
  type LogRecord,
  resetSync,
} from "@logtape/logtape";
import type { Secrets } from "../core/secrets.ts";
import { escapeControl, escapeControlIn } from "./_text.ts";

let before: (() => void) | undefined;

/** Runs `fn` before the next log record is written (e.g. to clear a progress line). */
export function beforeLogRecord(fn: () => void): void {
  before = fn;
}

/**
 * Sends otai's logs to stderr as text or JSON lines. Every record's values are redacted before
 * it is formatted (so a secret holding `"` or `\` is found as it is), and in text, control
 * characters from plugins are escaped, so a message cannot forge a log line or drive the
 * terminal. The secrets may grow after this call (they are read on every record).
 */
export function setupLogging(level: LogLevel, format: "text" | "json", secrets: Secrets): void {
  const formatter = format === "json" ? jsonLinesFormatter : defaultTextFormatter;
  const encoder = new TextEncoder();
  const sink = (record: LogRecord) => {
    before?.();
    before = undefined;
    const safe = sanitize(record, secrets, format === "text");
    Deno.stderr.writeSync(encoder.encode(secrets.redactText(formatter(safe))));
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

function sanitize(record: LogRecord, secrets: Secrets, escape: boolean): LogRecord {
  const clean = <T>(v: T): T => {
    const redacted = secrets.redactValue(v);
    return escape ? escapeControlIn(redacted) : redacted;
  };
  const message = record.message.map((part) =>
    typeof part === "string"
      ? (escape ? escapeControl(secrets.redactText(part)) : secrets.redactText(part))
      : clean(part)
  );
  return {
    ...record,
    message,
    rawMessage: typeof record.rawMessage === "string"
      ? clean(record.rawMessage)
      : record.rawMessage,
    properties: clean(record.properties),
  };
}
