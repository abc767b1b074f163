import type { RunnerResult } from "../core/engine.ts";
import type { OpenConfig } from "../loader/open_config.ts";
import { PERMISSION_NAMES } from "../core/permissions.ts";

/** The summary table `otai run` prints: runner, step, status, duration, detail. */
export function summaryTable(results: RunnerResult[], elapsedMs: number): string {
  const rows = [["runner", "step", "status", "duration", "detail"]];
  for (const r of results) {
    rows.push([r.id, "", r.status, ms(r.duration_ms), r.cycle > 1 ? `cycle ${r.cycle}` : ""]);
    for (const s of r.steps) rows.push(["", s.id, s.status, ms(s.duration_ms), detail(s)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const failed = results.filter((r) => r.status === "failed").length;
  lines.push(
    "",
    `${results.length - failed} runner(s) succeeded, ${failed} failed in ${ms(elapsedMs)}`,
  );
  return lines.join("\n") + "\n";
}

/** What `otai check` prints for a config that passed. */
export function checkReport(app: OpenConfig): string {
  const lines = [`${app.file}: ok`];
  lines.push(`plugins (${app.plugins.length}):`);
  for (const p of app.plugins) {
    const granted = PERMISSION_NAMES.filter((n) => p.effective[n] !== false).map((n) => {
      const v = p.effective[n];
      return v === true ? `${n}: all` : `${n}: ${(v as string[]).join(", ")}`;
    });
    lines.push(
      `  ${p.prefix}  ${p.manifest.name}@${p.manifest.version} (api ${p.manifest.api})  ${p.url}`,
      `    permissions: ${granted.length ? granted.join("; ") : "none"}`,
      `    injectables: ${p.manifest.injectables.map((i) => `${i.name} (${i.kind})`).join(", ")}`,
    );
  }
  lines.push(`services (${app.plan.services.length}):`);
  for (const s of app.plan.services) lines.push(`  ${s.id}: ${s.entry.key}`);
  lines.push(`runners (${app.plan.runners.length}):`);
  for (const r of app.plan.runners) {
    const when = r.intervalMs !== undefined
      ? `every ${ms(r.intervalMs)}`
      : r.cron
      ? `cron "${r.cron}"`
      : "once";
    lines.push(`  ${r.id} (${when}): ${r.steps.map((s) => s.id).join(" -> ")}`);
  }
  return lines.join("\n") + "\n";
}

function detail(s: RunnerResult["steps"][number]): string {
  if (s.status === "failed") return oneLine(s.error ?? "");
  if (s.status === "skipped") return oneLine(s.reason ?? "");
  const d = s.data as Record<string, unknown> | undefined;
  if (d && typeof d.succeeded === "number" && typeof d.failed === "number") {
    return `${d.succeeded} succeeded, ${d.failed} failed, ${d.skipped} skipped`;
  }
  return "";
}

function oneLine(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > 120 ? line.slice(0, 117) + "..." : line;
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)}s` : `${Math.round(n)}ms`;
}
