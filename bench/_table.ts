/**
 * The bench's table and how it compares checksums.
 *
 * @module
 */

/** Prints a Markdown table, its columns padded. */
export function table(head: string[], data: string[][]): void {
  const all = [head, ...data];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of data) console.log(line(r));
}

/** A checksum with its keys sorted: items that finish in any order count alike. */
export function sameCheck(a: string, b: string): boolean {
  const sorted = (v: unknown): unknown => {
    if (!v || typeof v !== "object") return v;
    const entries = Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1));
    return Object.fromEntries(entries.map(([k, x]) => [k, sorted(x)]));
  };
  return JSON.stringify(sorted(JSON.parse(a))) === JSON.stringify(sorted(JSON.parse(b)));
}
