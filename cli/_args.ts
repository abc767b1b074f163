import { parseArgs } from "node:util";
import { isLogLevel, type LogLevel } from "@logtape/logtape";

/** How remote plugins may be fetched. */
export type Modes = { offline: boolean; frozen: boolean };

/** A command line, read. */
export interface CommandLine {
  /** `run`, `check`, `lock`, `fetch` or `plugins`. */
  command: string;
  /** For `plugins`: `list`, `info` or `search`; for `new`: `plugin`. */
  sub?: string;
  /**
   * The config file ("" for `otai schema` without one); for `plugins info` the specifier, for
   * `plugins search` the words.
   */
  target: string;
  /** Print JSON on stdout. */
  json: boolean;
  /** Show stack traces. */
  debug: boolean;
  /** How remote plugins may be fetched. */
  modes: Modes;
  /** The log level. */
  level: LogLevel;
  /** The log format. */
  format: "text" | "json";
  /** For `new plugin`: the JSR scope given with `--scope`. */
  scope?: string;
}

const COMMANDS = ["run", "check", "lock", "fetch", "plugins", "schema", "new"];

/**
 * Reads the command line.
 *
 * @returns The command, `"help"` or `"version"`, or a usage problem to report.
 */
export function parseCommandLine(
  args: string[],
): CommandLine | "help" | "version" | { usage: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        "log-level": { type: "string" },
        "log-format": { type: "string" },
        debug: { type: "boolean" },
        offline: { type: "boolean" },
        frozen: { type: "boolean" },
        scope: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (e) {
    return { usage: (e as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  const words = commandWords(positionals, values.scope !== undefined);
  if ("usage" in words) return words;
  const { command, sub, target } = words;
  const level = values["log-level"] ?? (values.json ? "warning" : "info");
  const format = values["log-format"] ?? "text";
  if (!isLogLevel(level)) return { usage: `unknown --log-level "${level}"` };
  if (format !== "text" && format !== "json") return { usage: `unknown --log-format "${format}"` };
  return {
    command,
    ...(sub ? { sub } : {}),
    target,
    json: values.json === true,
    debug: values.debug === true,
    modes: { offline: values.offline === true, frozen: values.frozen === true },
    level,
    format,
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
  };
}

/** The command, its sub-command and its target (config, specifier, words or name). */
function commandWords(
  positionals: string[],
  scoped: boolean,
): { command: string; sub?: string; target: string } | { usage: string } {
  let [command, ...rest] = positionals;
  if (!COMMANDS.includes(command ?? "")) [command, rest] = ["run", positionals];
  let sub: string | undefined;
  if (command === "plugins") {
    sub = rest.shift();
    if (sub !== "list" && sub !== "info" && sub !== "search") {
      return { usage: 'use "otai plugins list", "otai plugins info" or "otai plugins search"' };
    }
    if (sub === "search" && rest.length) rest = [rest.join(" ")];
  }
  if (command === "new") {
    sub = rest.shift();
    if (sub !== "plugin") return { usage: 'use "otai new plugin <name>"' };
  }
  if (scoped && command !== "new") {
    return { usage: '--scope is only for "otai new plugin <name>"' };
  }
  const target = rest[0] ?? "";
  // `otai schema` alone prints the schema of every config ("" for no config).
  if ((!target && command !== "schema") || rest.length > 1) {
    return {
      usage: sub === "info"
        ? "give exactly one plugin specifier"
        : sub === "search"
        ? "give the words to search for"
        : sub === "plugin"
        ? 'give exactly one plugin name: "otai new plugin <name>"'
        : "give exactly one config file",
    };
  }
  return { command: command!, ...(sub ? { sub } : {}), target };
}
