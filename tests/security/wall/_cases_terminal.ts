/**
 * Class 7: terminal and log forgery. Each attack runs for the summary table, with
 * `--log-level debug`; no line of otai's output may start with what a plugin forged, and no
 * escape sequence or carriage return of a plugin may reach the terminal.
 *
 * @module
 */
import { attack, config, type WallCase } from "./_case.ts";
import { assertNoControls } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

async function summaryTable(w: Wall): Promise<void> {
  await w.otai(["run", "config.yml", "--log-level", "debug"]);
}

function noControls(w: Wall): void {
  for (const run of w.runs) assertNoControls(run);
}

/** One pipe of a forging plugin as the attack. */
function forging(module: string, pipe: string): Pick<WallCase, "config" | "drive" | "check"> {
  return {
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin(module) }],
        steps: [attack(`wall-${module.replaceAll("_", "-")}:${pipe}`)],
      }),
    drive: summaryTable,
    check: noControls,
  };
}

/** The attacks on what otai prints. */
export const TERMINAL_CASES: readonly WallCase[] = [
  { name: "log_message_newline_forged_record", ...forging("log_forgery", "Newline") },
  { name: "log_props_newline_forged_record", ...forging("log_forgery", "Props") },
  { name: "log_and_console_escape_sequences", ...forging("log_forgery", "Ansi") },
  { name: "error_newline_forged_lines", ...forging("error_forgery", "Newline") },
  { name: "error_escape_sequences_in_summary", ...forging("error_forgery", "Ansi") },
  { name: "skip_reason_forgery", ...forging("error_forgery", "Skip") },
  { name: "report_escape_sequences", ...forging("error_forgery", "Report") },
  { name: "uncaught_error_forgery", ...forging("error_forgery", "Crash") },
  {
    name: "service_error_forgery_in_caller_step",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("service_error") }],
        services: [{ id: "bad", use: "wall-service-error:Bad" }],
        steps: [{
          id: "attack",
          use: "wall-bystander:Call",
          injects: { bad: "bad" },
          params: { service: "bad", method: "fail" },
          continue_on_error: true,
        }],
      }),
    drive: summaryTable,
    check: noControls,
  },
  {
    name: "manifest_descriptions_forgery",
    expect: "none",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("manifest_ansi") }],
        steps: [attack("wall-manifest-ansi:Attack")],
      }),
    async drive(w) {
      await w.otai(["check", "config.yml"]);
      await w.otai(["plugins", "info", w.plugin("manifest_ansi")]);
      await w.otai(["run", "config.yml", "--log-level", "debug"], { expect: "run" });
    },
    check: noControls,
  },
];
