/**
 * BullMQ, imported on first use only: a config without `queue:` never evaluates it (nor
 * ioredis), so its start-up is what it was. The import is a literal, so that `deno cache` and
 * a published package resolve it like any other dependency.
 *
 * @module
 */
import type * as BullMQ from "bullmq";

export type { BullMQ };

let loading: Promise<typeof BullMQ> | undefined;

/** The `bullmq` module, imported once. */
export function bullmq(): Promise<typeof BullMQ> {
  return loading ??= import("bullmq");
}
