/**
 * Synthetic labelled tickets for the classifier's tests: each queue has its own topic words,
 * mixed with words every queue shares. Generated, so no real ticket text is needed.
 *
 * @module
 */

import { createRandom } from "./_split.ts";

/** A synthetic ticket row. */
export interface SyntheticRow {
  /** `S-<n>`. */
  id: string;
  /** A short subject with a topic word. */
  subject: string;
  /** A body with topic words, commas and quotes. */
  body: string;
  /** The queue; empty for the unlabelled rows. */
  queue: string;
}

const TOPICS: Record<string, string[]> = {
  billing: ["invoice", "refund", "charged", "payment", "receipt", "subscription", "vat", "credit"],
  network: ["vpn", "wifi", "router", "latency", "dns", "firewall", "packet", "bandwidth"],
  hardware: ["printer", "laptop", "monitor", "keyboard", "battery", "docking", "mouse", "toner"],
  access: ["password", "login", "locked", "account", "sso", "permission", "reset", "mfa"],
};
const SHARED = [
  "please",
  "help",
  "since",
  "yesterday",
  "urgent",
  "again",
  "the",
  "my",
  "our",
  "team",
  "not",
  "working",
  "issue",
  "thanks",
  "today",
];

/** The queues the synthetic rows are labelled with. */
export const QUEUES: readonly string[] = Object.keys(TOPICS);

/**
 * Generate synthetic ticket rows: `perQueue` rows for each queue, interleaved, plus `unlabelled`
 * rows with an empty queue.
 *
 * @param perQueue Rows per queue.
 * @param options The seed and how many unlabelled rows to add.
 * @returns The rows, deterministic for a seed.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { syntheticRows } from "./_testing.ts";
 *
 * deepEqual(syntheticRows(2, { unlabelled: 1 }).length, 9);
 * ```
 */
export function syntheticRows(
  perQueue: number,
  options: { seed?: number; unlabelled?: number } = {},
): SyntheticRow[] {
  const random = createRandom(options.seed ?? 1);
  const pick = (words: readonly string[]) => words[Math.floor(random() * words.length)] as string;
  const words = (topic: readonly string[], count: number, topical: number) => {
    const out = Array.from({ length: count }, () => pick(SHARED));
    for (let k = 0; k < topical; k++) out.splice(Math.floor(random() * out.length), 0, pick(topic));
    return out.join(" ");
  };
  const rows: SyntheticRow[] = [];
  for (let i = 0; i < perQueue * QUEUES.length + (options.unlabelled ?? 0); i++) {
    const queue = i < perQueue * QUEUES.length ? QUEUES[i % QUEUES.length] as string : "";
    const topic = TOPICS[queue] ?? SHARED;
    rows.push({
      id: `S-${i}`,
      subject: words(topic, 2, 1),
      body: `${words(topic, 6, 2)}, "${words(SHARED, 2, 0)}" ${words(topic, 5, 1)}`,
      queue,
    });
  }
  return rows;
}

/**
 * Format rows as RFC 4180 CSV with a header.
 *
 * @param rows The rows.
 * @returns CSV text, every field quoted.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { toCsv } from "./_testing.ts";
 *
 * deepEqual(toCsv([{ id: "1", subject: 'a "b"', body: "", queue: "x" }]), 'id,subject,body,queue\n"1","a ""b""","","x"\n');
 * ```
 */
export function toCsv(rows: readonly SyntheticRow[]): string {
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const lines = rows.map((r) => [r.id, r.subject, r.body, r.queue].map(quote).join(","));
  return `id,subject,body,queue\n${lines.join("\n")}\n`;
}
