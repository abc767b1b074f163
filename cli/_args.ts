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
  /** For `run` and `check`: load no plugin code, list what would be loaded (`--safe`). */
  safe?: boolean;
  /** For `run`: reload a changed local plugin, and keep running (`--watch`). */
  watch?: boolean;
  /**
   * For `worker`, and `run` with `work`: jobs in flight at once per distributed step
   * (`--concurrency`).
   */
  concurrency?: number;
  /** For `run`: take the jobs of its distributed `for_each` steps too (`--work`). */
  work?: boolean;
}

const COMMANDS = ["run", "check", "lock", "fetch", "plugins", "schema", "new", "worker", "queue"];

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
        safe: { type: "boolean" },
        watch: { type: "boolean" },
        concurrency: { type: "string" },
        work: { type: "boolean" },
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
  if (values.safe && command !== "run" && command !== "check") {
    return { usage: '--safe is only for "otai run" and "otai check"' };
  }
  if (values.watch && (command !== "run" || values.json || values.safe)) {
    return { usage: '--watch is only for "otai run", without --json or --safe' };
  }
  const queue = queueFlags(values.concurrency, values.work === true, command);
  if ("usage" in queue) return queue;
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
    ...(values.safe ? { safe: true } : {}),
    ...(values.watch ? { watch: true } : {}),
    ...queue,
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
  if (command === "queue") {
    sub = rest.shift();
    if (sub !== "status") return { usage: 'use "otai queue status <config.yml>"' };
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

/**
 * `--work` (only for `otai run`) and `--concurrency` (for `otai worker` and `otai run --work`:
 * a whole number of at least 1).
 */
function queueFlags(
  value: string | undefined,
  work: boolean,
  command: string,
): { concurrency?: number; work?: true } | { usage: string } {
  if (work && command !== "run") return { usage: '--work is only for "otai run"' };
  if (value === undefined) return work ? { work } : {};
  if (command !== "worker" && !work) {
    return { usage: '--concurrency is only for "otai worker" and "otai run --work"' };
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    return { usage: `--concurrency expects a whole number of at least 1, not "${value}"` };
  }
  return work ? { concurrency: n, work } : { concurrency: n };
}
