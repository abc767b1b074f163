import type { DoneMessage, SandboxMessage } from "./protocol.ts";
import { checkPlainData } from "./_plain_data.ts";

/** What the host makes of one message from a sandbox. */
export type Checked =
  /** A message of the right shape, its values plain data within the limit. */
  | { message: SandboxMessage }
  /** A reply whose value cannot be accepted: the request fails with this instead. */
  | { message: DoneMessage; refused: true }
  /** Not a message of the protocol: the sandbox is stopped. */
  | { violation: string };

const LEVELS = new Set(["debug", "info", "warning", "error"]);

/**
 * Checks one message a sandbox sent, trusting nothing: its shape, that its values are plain
 * data (a Worker's structured clone carries `Date`, `Map`, `NaN` and cycles as they are), and
 * their size. The guest checks too, for a helpful message; this is the check that holds.
 *
 * @param value One element of a batch the sandbox posted.
 * @param maxBytes The largest value accepted.
 * @returns The message, a refused reply, or a protocol violation.
 */
export function checkMessage(value: unknown, maxBytes: number): Checked {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { violation: "it sent something that is not a message" };
  }
  const m = value as Record<string, unknown>;
  switch (m.t) {
    case "done":
      return checkDone(m, maxBytes);
    case "call":
      if (
        !isId(m.id) || !isId(m.origin, true) || !isText(m.instance) || !isText(m.method) ||
        (m.deadline !== undefined && !Number.isFinite(m.deadline))
      ) {
        return { violation: "it sent a malformed service call" };
      }
      if (!Array.isArray(m.args) || checkPlainData(m.args, maxBytes, "args")) {
        return { violation: "it sent service call arguments that are not plain data" };
      }
      return { message: m as SandboxMessage };
    case "log":
      if (!LEVELS.has(m.level as string) || !isText(m.message)) {
        return { violation: "it sent a malformed log record" };
      }
      if (m.props !== undefined && !isPlainRecord(m.props, maxBytes)) {
        return { message: { t: "log", level: m.level, message: m.message } as SandboxMessage };
      }
      return { message: m as SandboxMessage };
    case "progress":
      return isProgress(m)
        ? { message: m as unknown as SandboxMessage }
        : { violation: "it sent a malformed progress report" };
    case "crash":
      return isError(m.error) && typeof m.fatal === "boolean"
        ? { message: m as SandboxMessage }
        : { violation: "it sent a malformed crash report" };
    case "ready":
    case "invalid":
      return { violation: `it sent "${m.t}" again` };
    default:
      return { violation: "it sent a message of a kind the protocol does not have" };
  }
}

function checkDone(m: Record<string, unknown>, maxBytes: number): Checked {
  if (!isId(m.id)) return { violation: "it sent a reply without a request id" };
  const o = m.outcome as Record<string, unknown> | undefined;
  const id = m.id as number;
  if (o === null || typeof o !== "object") return { violation: "it sent a reply without outcome" };
  if (o.status === "failed") {
    return isError(o.error)
      ? { message: m as unknown as DoneMessage }
      : { violation: "it sent a failure without an error" };
  }
  if (o.status === "skipped") {
    return isText(o.reason)
      ? { message: m as unknown as DoneMessage }
      : { violation: "it sent a skip without a reason" };
  }
  if (o.status !== "succeeded") return { violation: "it sent a reply of an unknown status" };
  const raw = m.raw;
  if (raw !== undefined && !isTextRecord(raw)) {
    return { violation: "it sent raw fields that are not JSON text" };
  }
  const problem = checkPlainData(o.data, maxBytes);
  if (!problem) return { message: m as unknown as DoneMessage };
  const message = `the plugin returned a value whose ${problem.path} ${problem.message}`;
  return {
    refused: true,
    message: {
      t: "done",
      id,
      outcome: { status: "failed", error: { name: "TypeError", message } },
    },
  };
}

const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** A loop's progress: counts, indexes and at most 100 failures, each a step id and an error. */
function isProgress(m: Record<string, unknown>): boolean {
  if (!isId(m.id) || !count(m.next) || !Array.isArray(m.open) || m.open.length > 10_000) {
    return false;
  }
  return m.open.every(count) && isLoopCounts(m);
}

/**
 * Whether a loop's final data has the shape the host reads: counts, `total`, `notStarted`, and
 * at most 100 failures.
 */
export function isLoopDone(data: unknown): boolean {
  const m = data as Record<string, unknown> | null;
  return m !== null && typeof m === "object" && count(m.total) && count(m.notStarted) &&
    isLoopCounts(m);
}

function isLoopCounts(m: Record<string, unknown>): boolean {
  if (!count(m.succeeded) || !count(m.failed) || !count(m.skipped)) return false;
  if (!Array.isArray(m.failures) || m.failures.length > 100) return false;
  return m.failures.every((f) => {
    const r = f as Record<string, unknown> | null;
    return r !== null && typeof r === "object" && count(r.index) && isText(r.step) &&
      isError(r.error);
  });
}

function isId(v: unknown, signed = false): boolean {
  return Number.isSafeInteger(v) && (signed || (v as number) > 0);
}

function isText(v: unknown): boolean {
  return typeof v === "string";
}

function isError(v: unknown, depth = 0): boolean {
  const e = v as Record<string, unknown> | null;
  return e !== null && typeof e === "object" && isText(e.name) && isText(e.message) &&
    (e.stack === undefined || isText(e.stack)) &&
    (e.cause === undefined || (depth < MAX_CAUSES && isError(e.cause, depth + 1)));
}

/** How many causes an error may carry across the boundary. */
const MAX_CAUSES = 3;

function isPlainRecord(v: unknown, maxBytes: number): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !checkPlainData(v, maxBytes);
}

function isTextRecord(v: unknown): boolean {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every(isText);
}
