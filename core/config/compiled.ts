/**
 * A config as the compiler produces it: expressions compiled, durations in milliseconds,
 * inherited values applied, with every problem found in it.
 *
 * @module
 */
import type { Diagnostic, SourceLocation } from "../errors.ts";
import type { CompiledValue, ExpressionScope } from "../expression.ts";
import type { Config, PluginEntry } from "./types.ts";
import type { ConfigPath } from "./config_path.ts";

/** A step, compiled: expressions ready to evaluate, durations in ms, inherited values applied. */
export interface CompiledStep {
  /** The step id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** `prefix:Name` of the pipe it runs; undefined for a `for_each`. */
  use?: string;
  /** Its params, compiled. */
  params: CompiledValue;
  /** Injected name to service id. */
  injects: Record<string, string>;
  /** Its `if:`, compiled. */
  condition?: (scope: ExpressionScope) => boolean;
  /** Its `if:` as written, for what reads which steps it names. */
  conditionSource?: string;
  /** Time limit in ms (its own, else its runner's or `for_each`'s, else the default). */
  timeoutMs: number;
  /** Whether the runner goes on after a failure. */
  continueOnError: boolean;
  /** Its `for_each` list expression, compiled. */
  forEach?: CompiledValue;
  /** Its `collect` expression, compiled: a value per item that did not fail. */
  collect?: CompiledValue;
  /** Items in flight at once. */
  concurrency: number;
  /** Whether its items run as jobs on the queue (`distribute: true`). */
  distribute?: boolean;
  /** Sub-steps of a `for_each`. */
  steps: CompiledStep[];
}

/** A runner, compiled. */
export interface CompiledRunner {
  /** The runner id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** Interval in ms, when scheduled so. */
  intervalMs?: number;
  /** Cron pattern, when scheduled so. */
  cron?: string;
  /** Back-to-back cycles while a condition over the last one holds, some in flight at once. */
  repeat?: { while: (scope: ExpressionScope) => boolean; inFlight: number };
  /** Runner params, `params` in expressions. */
  params: Record<string, unknown>;
  /** Its steps. */
  steps: CompiledStep[];
}

/** A service entry, checked. */
export interface CompiledService {
  /** The service id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** `prefix:Name` of the service. */
  use: string;
  /** Static params. */
  params: Record<string, unknown>;
  /** Injected name to service id. */
  injects: Record<string, string>;
}

/** A `plugins:` entry: its index, its `from:` and, when it is valid, the checked entry. */
export interface CompiledPlugin {
  /** Its index under `plugins:`. */
  index: number;
  /** Its `from:` as written (empty when unreadable). */
  from: string;
  /** The checked entry; undefined when it is invalid (see the diagnostics). */
  entry?: PluginEntry;
}

/** A config parsed, checked and compiled in one pass, with every problem found in it. */
export interface CompiledConfig {
  /** The file as the user named it (used in messages). */
  file: string;
  /** The directory relative paths in the config resolve against, as a file URL ending in "/". */
  baseUrl: URL;
  /** The validated config as written; undefined when there are diagnostics. */
  config: Config | undefined;
  /** Every problem found in the file; callers may add their own before reporting. */
  diagnostics: Diagnostic[];
  /** Values substituted from the environment; redacted wherever shown. */
  secrets: ReadonlySet<string>;
  /** Where a config path sits in the file. */
  locate(path: ConfigPath): SourceLocation;
  /** Every `plugins:` entry. */
  plugins: CompiledPlugin[];
  /** Every valid service entry. */
  services: CompiledService[];
  /** Every valid runner, with its valid steps. */
  runners: CompiledRunner[];
  /** How long a timed-out pipe may go on before its sandbox is stopped, when set. */
  killAfterMs?: number;
  /** How long work in flight may finish after a stop request, when set. */
  stopGraceMs?: number;
  /** Limits on fetching remote plugins. */
  fetch: { timeoutMs?: number; maxBytes?: number };
  /** The Redis server distributed `for_each` steps share their items through, when set. */
  queue?: QueueSettings;
}

/** `queue:` compiled: its Redis, and how its jobs are retried and watched (unset: defaults). */
export interface QueueSettings {
  /** The Redis URL (`url`). */
  url: string;
  /** Tries of a job its worker could not finish: stopped, an error outside the steps (`attempts`). */
  attempts?: number;
  /** The wait before a job's first retry, doubled for each one after (`retry_delay`). */
  retryDelayMs?: number;
  /** How long a job's lock lives unrenewed before another worker takes it (`stall_timeout`). */
  stallMs?: number;
  /** How long a loop waits while no job is taken or finishes (`idle_timeout`). */
  idleMs?: number;
}
