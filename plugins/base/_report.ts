/**
 * A small text report: the `Report` pipe and the formatting behind it.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";

/** How many entries of a list or map a line shows before "+N more". */
const MAX_ENTRIES = 20;

/**
 * Formats a title and values as a text block: the title, then one `key: value` line per value
 * with the values aligned. A map of numbers (like `Tally` counts) reads `a=3, b=2`, largest
 * first; a list reads `a, b`; null, `""` and empty lists or maps read `-`.
 *
 * @param title The first line.
 * @param values The values, in order.
 * @returns The text, without a trailing newline.
 *
 * @example
 * ```ts
 * import { formatReport } from "./_report.ts";
 * import { strictEqual } from "node:assert/strict";
 * const text = formatReport("Triage", { fetched: 5, queues: { IT: 1, Billing: 4 } });
 * strictEqual(text, "Triage\n  fetched: 5\n  queues:  Billing=4, IT=1");
 * ```
 */
export function formatReport(title: string, values: Record<string, unknown>): string {
  const entries = Object.entries(values);
  const width = Math.max(0, ...entries.map(([k]) => k.length + 1));
  const lines = entries.map(([k, v]) => `  ${`${k}:`.padEnd(width)} ${render(v)}`.trimEnd());
  return [oneLine(title), ...lines].join("\n");
}

const params = z.object({
  title: z.string({ error: "give title the report's first line" }),
  values: z.record(z.string(), z.unknown(), {
    error: 'give values as a map, e.g. values: { fetched: "${{ steps.fetch.data.count }}" }',
  }),
});

/** Formats values as a small text report; the CLI prints it under its summary. */
export const reportPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Report",
  services: {},
  description: "Formats values as a small aligned text report (printed by the CLI)",
  params,
  run(ctx): { report: string } {
    return { report: formatReport(ctx.params.title, ctx.params.values) };
  },
});

function render(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  if (Array.isArray(value)) return joined(value.map(inline));
  if (typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.every(([, v]) => typeof v === "number")) {
      entries.sort(([a, m], [b, n]) => (n as number) - (m as number) || (a < b ? -1 : 1));
    }
    return joined(entries.map(([k, v]) => `${k}=${inline(v)}`));
  }
  return inline(value);
}

function inline(value: unknown): string {
  if (typeof value === "string") return oneLine(value);
  if (value === undefined) return "-";
  return typeof value === "object" && value !== null
    ? JSON.stringify(value)
    : String(value as string | number | boolean | null);
}

function joined(parts: string[]): string {
  if (parts.length === 0) return "-";
  const shown = parts.slice(0, MAX_ENTRIES).join(", ");
  return parts.length > MAX_ENTRIES ? `${shown}, +${parts.length - MAX_ENTRIES} more` : shown;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
