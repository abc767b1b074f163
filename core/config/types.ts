/**
 * The config schema v1 as types: what a config holds once `schema.ts` has validated it. These
 * are written out (the published API may not rest on inferred types) and checked at compile
 * time to equal the `z.output` of the schemas, so the two cannot drift apart.
 *
 * @module
 */

/** The permission grant of a plugin entry: per Deno permission, true, false or a list. */
export interface PermissionGrant {
  /** Hosts, or true. */
  net?: boolean | string[] | undefined;
  /** Paths relative to the config file, or true. */
  read?: boolean | string[] | undefined;
  /** Paths relative to the config file, or true. */
  write?: boolean | string[] | undefined;
  /** Environment variable names, or true. */
  env?: boolean | string[] | undefined;
  /** Programs, or true. */
  run?: boolean | string[] | undefined;
  /** System information APIs, or true. */
  sys?: boolean | string[] | undefined;
  /** Dynamic libraries, or true. */
  ffi?: boolean | string[] | undefined;
  /** Hosts to import code from, or true. */
  import?: boolean | string[] | undefined;
}

/** One entry under `plugins:`. */
export interface PluginEntry {
  /** Path relative to the config file, `file:`, `https:`, `http:` or `jsr:` specifier. */
  from: string;
  /** Registry prefix; default: the plugin's manifest name. */
  as?: string | undefined;
  /** The explicit grant; absent means no permissions. */
  permissions?: PermissionGrant | undefined;
  /** False to list the plugin without loading it. */
  enabled?: boolean | undefined;
  /** `sha256-<hex>` of the plugin's whole module graph; a plugin whose graph differs is refused. */
  integrity?: string | undefined;
  /** Allow an `http:` plugin from a host other than localhost. */
  insecure?: boolean | undefined;
  /** How its code is confined: a Worker (default), a subprocess, or none (trusted only). */
  isolation?: "worker" | "process" | "none" | undefined;
  /** Required for `isolation: none`: the admin vouches for this plugin. */
  trusted?: boolean | undefined;
  /** Resource limits. */
  limits?: { memory_mb?: number | undefined; result_mb?: number | undefined } | undefined;
}

/** One entry under `services:`. */
export interface ServiceEntry {
  /** Unique service id, used in `injects`. */
  id: string;
  /** `prefix:Name` of the service. */
  use: string;
  /** Static params (env substitution only). */
  params?: Record<string, unknown> | undefined;
  /** Injected name to service id. */
  injects?: Record<string, string> | undefined;
}

/** A step config as written (recursive through `steps`). */
export interface StepConfig {
  /** Unique within its runner or `for_each`. */
  id: string;
  /** `prefix:Name` of the pipe it runs. */
  use?: string | undefined;
  /** Params, possibly with `${{ expr }}` templates. */
  params?: Record<string, unknown> | undefined;
  /** Injected name to service id. */
  injects?: Record<string, string> | undefined;
  /** A CEL condition; the step is skipped when false. */
  if?: string | undefined;
  /** A duration after which the step fails. */
  timeout?: number | string | undefined;
  /** Whether the runner goes on after this step fails. */
  continue_on_error?: boolean | undefined;
  /** A `${{ expr }}` yielding the list of items. */
  for_each?: string | undefined;
  /** Items in flight at once in a `for_each`. */
  concurrency?: number | undefined;
  /**
   * A `${{ expr }}` evaluated after each item of a `for_each` that did not fail, over `item`,
   * `index` and the item's `steps`; the values that are not null are kept, in order of
   * finishing, as the step's `data.collected`.
   */
  collect?: string | undefined;
  /** Whether a `for_each`'s items run as jobs on the queue (`queue:`), taken by `otai worker`. */
  distribute?: boolean | undefined;
  /** The sub-steps of a `for_each`. */
  steps?: StepConfig[] | undefined;
}

/** One entry under `orchestrator.runners`. */
export interface RunnerConfig {
  /** Unique runner id. */
  id: string;
  /** Schedule; absent means run once. */
  on?: { interval?: number | string | undefined; cron?: string | undefined } | undefined;
  /** Values available as `params` in expressions. */
  params?: Record<string, unknown> | undefined;
  /** Default step time limit for this runner. */
  timeout?: number | string | undefined;
  /** Default items in flight at once for its `for_each` steps (tickets N at a time). */
  concurrency?: number | undefined;
  /**
   * Run cycles back to back while `while` (CEL over the cycle just finished) holds, up to
   * `in_flight` at once, each started when the one before has finished its first step.
   */
  repeat?: { while: string; in_flight?: number | undefined } | undefined;
  /** Its steps (a single step is accepted too). */
  run: StepConfig[];
}

/** A whole config file, schema v1. */
export interface Config {
  /** The plugin API range this config targets. */
  otai?: string | undefined;
  /** Plugins to load. */
  plugins?: PluginEntry[] | undefined;
  /** Services to create. */
  services?: ServiceEntry[] | undefined;
  /** Defaults for steps. */
  defaults?:
    | {
      timeout?: number | string | undefined;
      kill_after?: number | string | undefined;
      stop_grace?: number | string | undefined;
    }
    | undefined;
  /** Limits on fetching remote plugins. */
  fetch?: { timeout?: number | string | undefined; max_size_mb?: number | undefined } | undefined;
  /** The Redis server distributed `for_each` steps share their items through. */
  queue?:
    | {
      url: string;
      attempts?: number | undefined;
      retry_delay?: number | string | undefined;
      stall_timeout?: number | string | undefined;
      idle_timeout?: number | string | undefined;
    }
    | undefined;
  /** Runners. */
  orchestrator: { runners: RunnerConfig[] };
}
