/** Where a problem sits in a config file. */
export interface SourceLocation {
  /** The config file path as the user named it. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** One problem found in a config, with its place and what to do. */
export interface Diagnostic extends SourceLocation {
  /** The dotted path of the offending value, e.g. `plugins[0].from`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/**
 * Formats a diagnostic as `file:line:column: path: message`.
 *
 * @param d The diagnostic.
 * @returns One line of text.
 *
 * @example
 * ```ts
 * import { formatDiagnostic } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(
 *   formatDiagnostic({ file: "c.yml", line: 2, column: 3, path: "plugins", message: "bad" }),
 *   "c.yml:2:3: plugins: bad",
 * );
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.path ? d.path + ": " : ""}${d.message}`;
}

/** The base of every error otai raises for a caller to catch. */
export class OtaiError extends Error {
  /** The process exit code a CLI should end with. */
  exitCode = 1;
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OtaiError";
  }
}

/**
 * A config that cannot be used: every problem found, each with its line and column.
 *
 * @example
 * ```ts
 * import { ConfigError } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const e = new ConfigError([{ file: "c.yml", line: 1, column: 1, path: "", message: "empty" }]);
 * strictEqual(e.exitCode, 2);
 * strictEqual(e.message, "c.yml:1:1: empty");
 * ```
 */
export class ConfigError extends OtaiError {
  /** Every problem found. */
  readonly diagnostics: readonly Diagnostic[];
  /** Creates the error from its diagnostics. */
  constructor(diagnostics: readonly Diagnostic[], options?: ErrorOptions) {
    super(diagnostics.map(formatDiagnostic).join("\n"), options);
    this.name = "ConfigError";
    this.exitCode = 2;
    this.diagnostics = diagnostics;
  }
}
