/** The key prefix of every queue otai creates in Redis. */
export const PREFIX = "otai";

/**
 * The BullMQ queue of a distributed `for_each`: `<runner>.<step>` under the `otai` prefix
 * (Redis keys `otai:<runner>.<step>:…`). Ids are `[A-Za-z0-9_-]`, so no two loops share one.
 */
export function queueName(runner: string, step: string): string {
  return `${runner}.${step}`;
}

/** A worker's name as `otai queue status` shows it: host, pid and its plugins' hash prefix. */
export function workerName(hashes: Record<string, string>): string {
  const all = Object.keys(hashes).sort().map((k) => `${k}=${hashes[k]}`).join(",");
  return `${Deno.hostname()}/${Deno.pid}/${shortHash(all)}`;
}

/** A short hash of a text (the first 8 hex digits of its FNV-1a), for names. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
