/**
 * Replies a sandbox makes up itself: a request that fails without the plugin's answer, an error
 * rebuilt from its wire form, an answer raced against a deadline.
 *
 * @module
 */
import type { Outcome, WireError } from "../../core/contract.ts";
import type { DoneMessage } from "./protocol.ts";

/** A failed reply to request `id`. */
export function failed(id: number, error: WireError): DoneMessage {
  const outcome: Outcome = { status: "failed", error };
  return { t: "done", id, outcome };
}

/** An Error rebuilt from its wire form. */
export function rebuild(e: WireError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/**
 * `answered`, or, when `deadline` passes first, what `late` makes of it (given how long it
 * waited, in ms).
 */
export async function withDeadline(
  answered: Promise<DoneMessage>,
  deadline: number | undefined,
  late: (waitedMs: number) => DoneMessage,
): Promise<DoneMessage> {
  if (deadline === undefined) return await answered;
  const wait = Math.max(0, deadline - Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<DoneMessage>((resolve) => {
    timer = setTimeout(() => resolve(late(Math.round(wait))), wait);
  });
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
