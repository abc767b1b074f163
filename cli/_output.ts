import { escapeControl, escapeControlIn } from "./_text.ts";
import type { Progress, RunnerResult } from "../core/engine/engine.ts";
import type { OpenConfig } from "../loader/open_config.ts";
import { PERMISSION_NAMES } from "../core/permissions.ts";
import { API_VERSION } from "../core/api_version.ts";
import type { PluginInfo } from "./inspect_plugin.ts";
import type { PluginStatus } from "../loader/load_plugins.ts";
import type { HealthReport } from "../core/types.ts";
import type { StatusFile } from "./_status_file.ts";
import { beforeLogRecord } from "./_logging.ts";

/** The summary table `otai run` prints: runner, step, status, duration, detail. */
export function summaryTable(results: RunnerResult[], elapsedMs: number): string {
  const rows = [["runner", "step", "status", "duration", "detail"]];
  for (const r of results) {
    rows.push([r.id, "", r.status, ms(r.duration_ms), r.cycle > 1 ? `cycle ${r.cycle}` : ""]);
    for (const s of r.steps) {
      const status = s.status === "succeeded" && warningsOf(s).length
        ? "succeeded with warnings"
        : s.status;
      rows.push(["", s.id, status, ms(s.duration_ms), detail(s)]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const failed = results.filter((r) => r.status === "failed").length;
  const stopped = results.filter((r) => r.status === "stopped").length;
  const ok = results.length - failed - stopped;
  const warned = results.filter((r) => r.steps.some((s) => warningsOf(s).length)).length;
  lines.push(
    "",
    `${ok} runner(s) succeeded${warned ? ` (${warned} with warnings)` : ""}, ${failed} failed${
      stopped ? `, ${stopped} stopped on request (the next run goes on)` : ""
    } in ${ms(elapsedMs)}`,
  );
  return lines.join("\n") + "\n" + warningsText(results);
}

/** How many warnings of one step are shown under the table (all are in `--json`). */
const WARNINGS_SHOWN = 20;

/** A step's `data.warnings`: the lines a step reports about what it did not do. */
function warningsOf(s: RunnerResult["steps"][number]): string[] {
  const w = (s.data as { warnings?: unknown } | undefined)?.warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === "string") : [];
}

/** Each step's warnings, indented under a `runner.step:` line. */
function warningsText(results: RunnerResult[]): string {
  let out = "";
  for (const r of results) {
    for (const s of r.steps) {
      const warnings = warningsOf(s);
      if (!warnings.length) continue;
      out += `\nwarnings of ${r.id}.${s.id}:\n`;
      for (const w of warnings.slice(0, WARNINGS_SHOWN)) out += `  ${oneLine(w, 300)}\n`;
      if (warnings.length > WARNINGS_SHOWN) {
        out += `  ... and ${warnings.length - WARNINGS_SHOWN} more (see --json)\n`;
      }
    }
  }
  return out;
}

/** What `otai check` prints for a config that passed. */
export function checkReport(app: OpenConfig): string {
  const failed = app.failedServices.size;
  const lines = [
    failed
      ? `${app.file}: ${failed} service(s) could not be created; the steps that inject them will fail`
      : `${app.file}: ok`,
  ];
  lines.push(`plugins (${app.plugins.length}):`);
  for (const p of app.plugins) {
    lines.push(
      `  ${p.prefix}  ${p.manifest.name}@${p.manifest.version} (api ${p.manifest.api})  ${p.url}`,
      `    isolation: ${
        p.isolation === "none"
          ? "none: UNCONFINED, runs in the host process with the host's permissions (trusted: true)"
          : p.isolation === "worker"
          ? "worker: confined by its permissions, but shares otai's memory, CPU and stdio " +
            "file descriptors (no memory limit); use isolation: process for plugins you do " +
            "not trust with those"
          : p.isolation
      }`,
      `    permissions: ${describePermissions(p.effective)}`,
      `    injectables: ${p.manifest.injectables.map(injectableText).join(", ")}`,
    );
    if (p.source.integrity) lines.push(`    integrity: ${p.source.integrity}`);
  }
  lines.push(`services (${app.plan.services.length}):`);
  for (const s of app.plan.services) {
    const failed = app.failedServices.get(s.id);
    lines.push(`  ${s.id}: ${s.entry.key}${failed ? `: FAILED: ${failed}` : ""}`);
  }
  lines.push(`runners (${app.plan.runners.length}):`);
  for (const r of app.plan.runners) {
    const when = r.intervalMs !== undefined
      ? `every ${ms(r.intervalMs)}`
      : r.cron
      ? `cron "${r.cron}"`
      : r.repeat
      ? `repeated, ${r.repeat.inFlight} in flight`
      : "once";
    lines.push(`  ${r.id} (${when}): ${r.steps.map((s) => s.id).join(" -> ")}`);
  }
  return lines.join("\n") + "\n";
}

/** What `otai plugins info` prints. */
export function pluginInfoText(info: PluginInfo): string {
  // Every field is the plugin's own: one line each, control characters escaped.
  const m = escapeControlIn(info.manifest);
  const lines = [
    `${String(m.name)}@${String(m.version)}${m.description ? `: ${String(m.description)}` : ""}`,
    `  api:          ${String(m.api)} (${
      info.apiSatisfied ? "satisfied" : "NOT satisfied"
    } by this otai, API ${API_VERSION})`,
    `  permissions:  ${describePermissions(m.permissions)}`,
    `  injectables:  ${
      m.injectables.map((i) => `${String(i.name)} (${String(i.kind)})`).join(", ") || "none"
    }`,
    `  source:       ${info.source.specifier}`,
  ];
  if (info.source.url && info.source.url !== info.source.specifier) {
    lines.push(`  resolved:     ${info.source.url}`);
  }
  if (info.source.integrity) lines.push(`  integrity:    ${info.source.integrity}`);
  for (const p of info.problems) lines.push(`  problem:      ${escapeControl(p)}`);
  return lines.join("\n") + "\n";
}

/** What `otai plugins list` prints. */
export function pluginListText(
  statuses: (PluginStatus & { health?: HealthReport })[],
  running?: StatusFile,
): string {
  const lines: string[] = [];
  for (const s of statuses) {
    const p = s.plugin;
    const live = p && running?.plugins[p.prefix];
    lines.push(
      `plugins[${s.index}] ${s.from}: ${s.status}${s.error ? `: ${s.error.split("\n")[0]}` : ""}`,
    );
    if (!p) continue;
    lines.push(
      `  ${p.prefix}  ${p.manifest.name}@${p.manifest.version}  ${
        p.source.resolved ?? p.source.specifier
      }`,
      `  permissions: ${describePermissions(p.effective)}`,
    );
    if (p.source.integrity) lines.push(`  integrity: ${p.source.integrity}`);
    if (s.health) {
      const detail = s.health.detail ? `: ${s.health.detail.split("\n")[0]}` : "";
      lines.push(`  health: ${s.health.ok ? "ok" : "not ok"}${detail}`);
    }
    if (live) {
      lines.push(
        `  in the running otai (pid ${running!.pid}, ${running!.written_at}): ${live.status}, ` +
          `restarted ${live.restarts} time(s)${live.lastError ? `; last: ${live.lastError}` : ""}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** Permissions as one line: `net: a, b; read: all`, or `none`. */
export function describePermissions(perms: unknown): string {
  const p = (perms ?? {}) as Record<string, unknown>;
  const granted = PERMISSION_NAMES.filter((n) => p[n] !== undefined && p[n] !== false).map((n) =>
    p[n] === true ? `${n}: all` : `${n}: ${(p[n] as string[]).join(", ")}`
  );
  return granted.length ? granted.join("; ") : "none";
}

/**
 * The `report` texts of top-level step data (e.g. from `base:Report`), each as a block under
 * the summary table.
 */
export function reports(results: RunnerResult[]): string {
  let out = "";
  for (const r of results) {
    for (const s of r.steps) {
      const report = (s.data as { report?: unknown } | undefined)?.report;
      if (typeof report === "string" && report.trim()) {
        // Indented, so that no line of a plugin's report can pass for a line of otai's.
        const text = escapeControl(report.trimEnd(), { lines: true });
        out += `\n${text.split("\n").map((l) => `  ${l}`).join("\n")}\n`;
      }
    }
  }
  return out;
}

/** A progress line on a terminal for long `for_each` steps: done/total, rate, ETA. */
export class ProgressLine {
  #shown = false;
  #encoder = new TextEncoder();

  /** Redraws the line (only once a step has run for a second). */
  update(p: Progress): void {
    if (p.elapsed_ms < 1000 && p.done < p.total) return;
    Deno.stderr.writeSync(this.#encoder.encode(`\r\x1b[2K${progressText(p)}`));
    this.#shown = true;
    beforeLogRecord(() => this.clear());
  }

  /** Removes the line. */
  clear(): void {
    if (this.#shown) Deno.stderr.writeSync(this.#encoder.encode("\r\x1b[2K"));
    this.#shown = false;
  }
}

/**
 * The text of a progress line: `runner.step: done/total items (N failed), rate/s, ETA`.
 *
 * @example
 * ```ts
 * import { progressText } from "./_output.ts";
 * import { strictEqual } from "node:assert/strict";
 * const p = { runner: "triage", step: "route", done: 50, failed: 2, total: 200, elapsed_ms: 2000 };
 * strictEqual(progressText(p), "triage.route: 50/200 items (2 failed), 25/s, ETA 6s");
 * ```
 */
export function progressText(p: Progress): string {
  const rate = p.done / Math.max(p.elapsed_ms / 1000, 0.001);
  const eta = rate > 0 ? (p.total - p.done) / rate : 0;
  return `${p.runner}.${p.step}: ${p.done}/${p.total} items` +
    (p.failed ? ` (${p.failed} failed)` : "") +
    `, ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s` +
    (p.done < p.total ? `, ETA ${formatEta(eta)}` : "");
}

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${Math.round((seconds % 3600) / 60)}m`;
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

function oneLine(text: string, max = 120): string {
  const line = escapeControl(text.split("\n")[0]!);
  return line.length > max ? line.slice(0, max - 3) + "..." : line;
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)}s` : `${Math.round(n)}ms`;
}

/** `Name (pipe)`, with the services it takes: `Greet (pipe; takes greeter: Greeter)`. */
function injectableText(i: { name: string; kind: string; services?: Record<string, string> }) {
  const takes = Object.entries(i.services ?? {}).map(([k, v]) => `${k}: ${v}`).join(", ");
  return `${i.name} (${i.kind}${takes ? `; takes ${takes}` : ""})`;
}
