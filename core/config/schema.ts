import { z } from "zod";

const DURATION = /^\d+(\.\d+)?(ms|s|m|h|d)$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DURATION_HINT = 'expected a duration such as "500ms", "10s", "5m" or "1h"';
const duration = z.union([
  z.number().positive(),
  z.string().regex(DURATION, { error: DURATION_HINT }),
], { error: DURATION_HINT });
const id = z.string({ error: "expected an id (letters, digits, _)" }).regex(ID, {
  error: "expected an id of letters, digits and _ that does not start with a digit",
});
const permissionValue = z.union([z.boolean(), z.array(z.string())], {
  error: "expected true, false or a list of strings",
});
const params = z.record(z.string(), z.unknown(), { error: "expected a mapping of params" });
const injects = z.record(z.string(), z.string(), {
  error: "expected a mapping of injected name to service id",
});

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
    | { timeout?: number | string | undefined; kill_after?: number | string | undefined }
    | undefined;
  /** Limits on fetching remote plugins. */
  fetch?: { timeout?: number | string | undefined; max_size_mb?: number | undefined } | undefined;
  /** Runners. */
  orchestrator: { runners: RunnerConfig[] };
}

/** The permission grant of a plugin entry. */
export const permissionsSchema: z.ZodType<PermissionGrant> = z.strictObject({
  net: permissionValue.optional(),
  read: permissionValue.optional(),
  write: permissionValue.optional(),
  env: permissionValue.optional(),
  run: permissionValue.optional(),
  sys: permissionValue.optional(),
  ffi: permissionValue.optional(),
  import: permissionValue.optional(),
});

/** Validates one entry under `plugins:`. */
export const pluginEntrySchema: z.ZodType<PluginEntry> = z.strictObject({
  from: z.string({ error: "expected the plugin's path, URL or jsr: specifier" }).min(1),
  as: z.string().regex(KEBAB, { error: "expected a kebab-case prefix such as my-plugin" })
    .optional(),
  permissions: permissionsSchema.optional(),
  enabled: z.boolean().optional(),
  integrity: z.string().regex(/^sha256-[0-9a-f]{64}$/, {
    error: 'expected "sha256-" and 64 hex digits, as "otai plugins info" prints it',
  }).optional(),
  insecure: z.boolean().optional(),
  isolation: z.enum(["worker", "process", "none"], {
    error: 'expected "worker" (default), "process" or "none"',
  }).optional(),
  trusted: z.boolean().optional(),
  limits: z.strictObject({
    memory_mb: z.int().min(16, { error: "expected at least 16 (MB)" }).optional(),
    result_mb: z.number().positive().optional(),
  }).optional(),
});

/** Validates one entry under `services:`. */
export const serviceEntrySchema: z.ZodType<ServiceEntry> = z.strictObject({
  id,
  use: z.string({ error: 'expected "prefix:Name" of a service' }),
  params: params.optional(),
  injects: injects.optional(),
});

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
  /** The sub-steps of a `for_each`. */
  steps?: StepConfig[] | undefined;
}

/** One step. */
export const stepSchema: z.ZodType<StepConfig> = z.lazy(() =>
  z.strictObject({
    id,
    use: z.string({ error: 'expected "prefix:Name" of a pipe' }).optional(),
    params: params.optional(),
    injects: injects.optional(),
    if: z.string({ error: "expected a CEL expression" }).optional(),
    timeout: duration.optional(),
    continue_on_error: z.boolean().optional(),
    for_each: z.string({ error: 'expected "${{ expression }}" yielding a list' }).optional(),
    concurrency: z.int().min(1).max(10_000).optional(),
    steps: z.array(stepSchema).min(1).optional(),
  })
);

/** Validates one runner. */
export const runnerSchema: z.ZodType<RunnerConfig> = z.strictObject({
  id,
  on: z.strictObject({ interval: duration.optional(), cron: z.string().optional() }).optional(),
  params: params.optional(),
  timeout: duration.optional(),
  concurrency: z.int().min(1).max(10_000).optional(),
  repeat: z.strictObject({
    while: z.string({ error: "expected a CEL condition over the finished cycle's steps" }),
    in_flight: z.int().min(1).max(64).optional(),
  }).optional(),
  run: z.preprocess(
    (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? [v] : v),
    z.array(stepSchema, { error: "expected a step or a list of steps" }).min(1),
  ),
});

/** Validates a whole config file, schema v1. */
export const configSchema: z.ZodType<Config> = z.strictObject({
  otai: z.string().optional(),
  plugins: z.array(pluginEntrySchema).optional(),
  services: z.array(serviceEntrySchema).optional(),
  defaults: z.strictObject({ timeout: duration.optional(), kill_after: duration.optional() })
    .optional(),
  fetch: z.strictObject({
    timeout: duration.optional(),
    max_size_mb: z.number().positive().optional(),
  }).optional(),
  orchestrator: z.strictObject({ runners: z.array(runnerSchema).min(1) }),
});
