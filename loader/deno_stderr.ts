/**
 * Reading what a Deno subprocess (a plugin fetch, a plugin process) wrote to stderr: colours
 * removed, download progress and backtrace lines left out.
 *
 * @module
 */

const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");
const NOISE = /^\s*(Download |Stack backtrace|\d+: <unknown>|at )/;

/** The text without terminal colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The lines that say something (no downloads, no backtrace), without colours. */
export function meaningfulLines(stderr: string): string[] {
  return stripAnsi(stderr).split("\n").filter((l) => l.trim() && !NOISE.test(l));
}

/** Deno's own `error: …` line (without the prefix), else the last meaningful line. */
export function errorLine(stderr: string): string {
  const lines = meaningfulLines(stderr);
  return lines.find((l) => l.startsWith("error: "))?.slice(7) ?? lines.at(-1) ?? "";
}
