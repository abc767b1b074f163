/**
 * The config schema v1, as zod schemas: the single source of the config's types (`z.output` of
 * these), of its validation and of its JSON Schema. Field-level checks (durations, CEL syntax)
 * and checks within one entry (a step has either `use` or `for_each`) live here; checks across
 * entries (unique ids, references, cycles) run on the parsed entries in `_cross_check.ts`.
 *
 * @module
 */
import { z } from "zod";
import {
  always,
  apiRange,
  atLeast,
  checkRunner,
  checkStep,
  collect,
  condition,
  duration,
  forEach,
  id,
  injects,
  isRecord,
  KEBAB,
  permissionValue,
  schedule,
  serviceParams,
  stepParams,
} from "./_fields.ts";
import type {
  Config,
  PermissionGrant,
  PluginEntry,
  RunnerConfig,
  ServiceEntry,
  StepConfig,
} from "./types.ts";

export type { Config, PermissionGrant, PluginEntry, RunnerConfig, ServiceEntry, StepConfig };

const permissions = z.strictObject({
  net: permissionValue.optional().describe("Hosts (host, host:port), or true"),
  read: permissionValue.optional().describe("Paths relative to the config file, or true"),
  write: permissionValue.optional().describe("Paths relative to the config file, or true"),
  env: permissionValue.optional().describe("Environment variable names, or true"),
  run: permissionValue.optional().describe("Programs, or true"),
  sys: permissionValue.optional().describe("System information APIs, or true"),
  ffi: permissionValue.optional().describe("Dynamic libraries, or true"),
  import: permissionValue.optional().describe("Hosts to import code from, or true"),
});

const pluginEntryShape = {
  from: z.string({ error: "expected the plugin's path, URL or jsr: specifier" }).min(1)
    .describe("Path relative to the config file, file:, https:, http: or jsr: specifier"),
  as: z.string().regex(KEBAB, { error: "expected a kebab-case prefix such as my-plugin" })
    .optional().describe("Registry prefix; default: the plugin's manifest name"),
  permissions: permissions.optional()
    .describe("The explicit grant; absent means no permissions"),
  enabled: z.boolean().optional().describe("False to list the plugin without loading it")
    .meta({ default: true }),
  integrity: z.string().regex(/^sha256-[0-9a-f]{64}$/, {
    error: 'expected "sha256-" and 64 hex digits, as "otai plugins info" prints it',
  }).optional().describe("sha256-<hex> of the plugin's whole module graph"),
  insecure: z.boolean().optional().describe("Allow an http: plugin from a host not localhost"),
  isolation: z.enum(["worker", "process", "none"], {
    error: 'expected "worker" (default), "process" or "none"',
  }).optional().describe("How its code is confined").meta({ default: "process" }),
  trusted: z.boolean().optional().describe("Required for isolation: none"),
  limits: z.strictObject({
    memory_mb: z.int().min(16, { error: "expected at least 16 (MB)" }).optional()
      .describe("Heap limit of its subprocess in MB (isolation: process only)"),
    result_mb: z.number().positive().optional()
      .describe("Largest result a pipe may send back, in MB"),
  }).optional().describe("Resource limits"),
};

const pluginEntry = z.strictObject(pluginEntryShape).check(z.superRefine((p, ctx) => {
  if (!isRecord(p)) return;
  if (p.isolation === "none" && p.trusted !== true) {
    ctx.addIssue({
      code: "custom",
      path: ["isolation"],
      message: "isolation: none runs the plugin unconfined in the host; add trusted: true if " +
        "you vouch for it, or use worker or process",
    });
  }
  if (p.limits?.memory_mb !== undefined && p.isolation !== undefined && p.isolation !== "process") {
    ctx.addIssue({
      code: "custom",
      path: ["limits", "memory_mb"],
      message: "a memory limit needs isolation: process (Workers share the host's heap)",
    });
  }
}, always));

const serviceEntryShape = {
  id: id.describe("The service's id, which steps and services inject"),
  use: z.string({ error: 'expected "prefix:Name" of a service' })
    .describe("prefix:Name of the service it creates"),
  params: serviceParams.optional(),
  injects: injects.optional(),
};

const serviceEntry = z.strictObject(serviceEntryShape);

const stepShape = {
  id: id.describe("The step's id, unique in its list; steps.<id> in expressions"),
  use: z.string({ error: 'expected "prefix:Name" of a pipe' }).optional()
    .describe("prefix:Name of the pipe it runs"),
  params: stepParams.optional(),
  injects: injects.optional(),
  if: condition("expected a CEL expression").optional()
    .describe("A CEL condition; the step is skipped when false"),
  timeout: duration.optional().describe("The step's time limit (default: defaults.timeout)"),
  continue_on_error: z.boolean().optional()
    .describe("True to go on with the runner when this step fails").meta({ default: false }),
  for_each: forEach.optional().describe("${{ expression }} yielding the items"),
  concurrency: z.int().min(1).max(10_000).optional().describe("Items in flight at once")
    .meta({ default: 1 }),
  collect: collect.optional().describe(
    "${{ expression }} evaluated after each item that did not fail; non-null values are kept " +
      "in data.collected",
  ),
  distribute: z.boolean().optional().describe(
    "True to run the items as jobs on the queue (see queue:), taken by otai worker processes",
  ).meta({ default: false }),
};

const SUB_STEPS = "The steps a for_each runs for each item";

/** One step, with its sub-steps. */
const stepSchema: z.ZodType<StepConfig> = z.strictObject({
  ...stepShape,
  get steps() {
    return z.array(stepSchema).min(1).optional().describe(SUB_STEPS);
  },
}).check(z.superRefine(checkStep, always));

/** One step, its sub-steps left unchecked (the compiler checks each on its own). */
const stepEntry = z.strictObject({
  ...stepShape,
  steps: z.array(z.unknown()).min(1).optional().describe(SUB_STEPS),
}).check(z.superRefine(checkStep, always));

const oneOrMore = <T extends z.ZodType>(step: T) =>
  z.preprocess(
    (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? [v] : v),
    z.array(step, { error: "expected a step or a list of steps" }).min(1),
  );

const runnerShape = {
  id: id.describe("The runner's id"),
  on: schedule.optional(),
  params: z.record(z.string(), z.unknown(), { error: "expected a mapping of params" })
    .optional().describe("Values available as params in expressions"),
  timeout: duration.optional().describe("The time limit of one run of all its steps"),
  concurrency: z.int().min(1).max(10_000).optional()
    .describe("Scheduled runs of this runner in flight at once"),
  repeat: z.strictObject({
    while: condition("expected a CEL condition over the finished cycle's steps")
      .describe("A CEL condition over the finished cycle's steps"),
    in_flight: z.int().min(1).max(64).optional().describe("Cycles in flight at once")
      .meta({ default: 1 }),
  }).optional().describe("Cycles back to back while `while` holds, in_flight at once"),
};

const runner = z.strictObject({ ...runnerShape, run: oneOrMore(stepSchema) })
  .check(z.superRefine(checkRunner, always));

/** One runner, its steps left unchecked (the compiler checks each on its own). */
const runnerEntry = z.strictObject({ ...runnerShape, run: oneOrMore(z.unknown()) })
  .check(z.superRefine(checkRunner, always));

const rootShape = {
  otai: apiRange.optional(),
  defaults: z.strictObject({
    timeout: duration.optional().describe("The default step time limit").meta({ default: "60s" }),
    kill_after: duration.optional()
      .describe("How long a timed-out step may go on before its sandbox is stopped"),
    stop_grace: duration.optional().describe(
      "After a stop request (SIGTERM, Ctrl-C), how long work in flight may finish before the " +
        "plugins are stopped",
    ).meta({ default: "8s" }),
  }).optional().describe("Defaults for steps"),
  fetch: z.strictObject({
    timeout: duration.optional().describe("How long fetching a remote plugin may take"),
    max_size_mb: z.number().positive().optional()
      .describe("The largest remote plugin, in MB"),
  }).optional().describe("Limits on fetching remote plugins"),
  queue: z.strictObject({
    url: z.string().regex(/^rediss?:\/\/[^/?#]/, {
      error: 'expected a Redis URL such as "redis://host:6379" (rediss:// for TLS)',
    }).describe("redis://[user:password@]host[:port][/db], or rediss:// for TLS"),
    attempts: z.int({ error: "expected a whole number from 1 to 100" })
      .min(1, { error: "expected a whole number from 1 to 100" })
      .max(100, { error: "expected a whole number from 1 to 100" }).optional()
      .describe("Tries of a job its worker could not finish (stopped, an error outside the steps)")
      .meta({ default: 3 }),
    retry_delay: duration.optional()
      .describe("The wait before a job's first retry, doubled for each one after")
      .meta({ default: "1s" }),
    stall_timeout: atLeast(duration, 1000, "1s").optional().describe(
      "How long a job's lock lives unrenewed: a worker that died is replaced this long after",
    ).meta({ default: "5s" }),
    idle_timeout: duration.optional().describe(
      "How long a distributed loop waits while no job is taken or finishes before it fails " +
        "the items left",
    ).meta({ default: "2m" }),
  }).optional().describe(
    "The Redis server that for_each steps with distribute: true share their items through",
  ),
};

const config = z.strictObject({
  ...rootShape,
  plugins: z.array(pluginEntry).optional().describe("The plugins to load, each with its grant"),
  services: z.array(serviceEntry).optional()
    .describe("Services created once, which steps inject"),
  orchestrator: z.strictObject({
    runners: z.array(runner).min(1).describe("Each runs its steps once or on a schedule"),
  }).describe("What runs"),
});

/** The top level of a config, its lists left unchecked (the compiler checks each entry). */
const configRoot = z.strictObject({
  ...rootShape,
  plugins: z.array(z.unknown()).optional(),
  services: z.array(z.unknown()).optional(),
  orchestrator: z.strictObject({ runners: z.array(z.unknown()).min(1) }),
});

/** The permission grant of a plugin entry: per Deno permission, true, false or a list. */
export const permissionsSchema: z.ZodType<PermissionGrant> = permissions;
/** Validates one entry under `plugins:`. */
export const pluginEntrySchema: z.ZodType<PluginEntry> = pluginEntry;
/** Validates one entry under `services:`. */
export const serviceEntrySchema: z.ZodType<ServiceEntry> = serviceEntry;
/** Validates one step, with its sub-steps. */
export { stepSchema };
/** Validates one runner, with its steps. */
export const runnerSchema: z.ZodType<RunnerConfig> = runner;
/** Validates a whole config file, schema v1. */
export const configSchema: z.ZodType<Config> = config;
/** Validates one step, its sub-steps left unchecked (the compiler checks each on its own). */
export const stepEntrySchema: z.ZodType<StepEntry> = stepEntry;
/** Validates one runner, its steps left unchecked (the compiler checks each on its own). */
export const runnerEntrySchema: z.ZodType<RunnerEntry> = runnerEntry;
/** Validates the top level of a config, its lists left unchecked. */
export const configRootSchema: z.ZodType<ConfigRoot> = configRoot;

/** A step as the compiler parses it: its sub-steps not yet checked. */
export type StepEntry = Omit<StepConfig, "steps"> & { steps?: unknown[] | undefined };
/** A runner as the compiler parses it: its steps not yet checked. */
export type RunnerEntry = Omit<RunnerConfig, "run"> & { run: unknown[] };
/** The top level of a config as the compiler parses it: its lists not yet checked. */
export type ConfigRoot = Omit<Config, "plugins" | "services" | "orchestrator"> & {
  plugins?: unknown[] | undefined;
  services?: unknown[] | undefined;
  orchestrator: { runners: unknown[] };
};

// The written-out types are the schemas' own: these fail to compile if the two drift apart.
type Flat<T> = { [K in keyof T]: T[K] };
type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends (<T>() => T extends Flat<B> ? 1 : 2)
  ? true
  : false;
const _sameGrant: Same<PermissionGrant, z.output<typeof permissions>> = true;
const _samePlugin: Same<PluginEntry, z.output<typeof pluginEntry>> = true;
const _sameService: Same<ServiceEntry, z.output<typeof serviceEntry>> = true;
const _sameStep: Same<StepEntry, z.output<typeof stepEntry>> = true;
const _sameRunner: Same<RunnerEntry, z.output<typeof runnerEntry>> = true;
const _sameConfig: Same<Config, z.output<typeof config>> = true;
const _sameRoot: Same<ConfigRoot, z.output<typeof configRoot>> = true;
void [_sameGrant, _samePlugin, _sameService, _sameStep, _sameRunner, _sameConfig, _sameRoot];
