import { dirname, resolve } from "node:path";
import type { RunnerResult } from "../core/engine/engine.ts";
import type { OpenConfig } from "../loader/open_config.ts";
import type { Secrets } from "../core/secrets.ts";

/** What a running `otai run` last knew about its plugins and runners. */
export interface StatusFile {
  /** When it was written (ISO 8601). */
  written_at: string;
  /** The process that wrote it. */
  pid: number;
  /** Each plugin's health by prefix. */
  plugins: Record<string, { status: string; restarts: number; lastError?: string }>;
  /** Each runner's last cycle. */
  runners: Record<string, { status: string; cycle: number; started_at: string }>;
}

const NAME = "otai.status.json";

/**
 * Writes `otai.status.json` beside the config (the working directory of `otai run`), so that
 * `otai plugins list` can show a running otai's quarantined plugins. Failing to write is not an
 * error: the directory may be read-only.
 */
export function writeStatus(
  app: OpenConfig,
  last: Map<string, RunnerResult>,
  secrets: Secrets,
): void {
  const status: StatusFile = {
    written_at: new Date().toISOString(),
    pid: Deno.pid,
    plugins: Object.fromEntries(
      app.plugins.map((p) => [p.prefix, p.runtime.health ?? { status: "running", restarts: 0 }]),
    ),
    runners: Object.fromEntries(
      [...last.values()].map((r) => [r.id, {
        status: r.status,
        cycle: r.cycle,
        started_at: r.started_at,
      }]),
    ),
  };
  try {
    Deno.writeTextFileSync(NAME, JSON.stringify(secrets.redactValue(status), null, 2) + "\n");
  } catch { /* read-only directory: no status file */ }
}

/** Reads the status file beside a config, if there is one. */
export function readStatus(configFile: string): StatusFile | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(resolve(dirname(configFile), NAME)));
  } catch {
    return undefined;
  }
}
