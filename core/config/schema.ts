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

/** The permission grant of a plugin entry. */
export const permissionsSchema = z.strictObject({
  net: permissionValue.optional(),
  read: permissionValue.optional(),
  write: permissionValue.optional(),
  env: permissionValue.optional(),
  run: permissionValue.optional(),
  sys: permissionValue.optional(),
  ffi: permissionValue.optional(),
  import: permissionValue.optional(),
});

/** One entry under `plugins:`. */
export const pluginEntrySchema = z.strictObject({
  from: z.string({ error: "expected the plugin's path, URL or jsr: specifier" }).min(1),
  as: z.string().regex(KEBAB, { error: "expected a kebab-case prefix such as my-plugin" })
    .optional(),
  permissions: permissionsSchema.optional(),
  enabled: z.boolean().optional(),
});

/** One entry under `services:`. */
export const serviceEntrySchema = z.strictObject({
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

/** One entry under `orchestrator.runners`. */
export const runnerSchema = z.strictObject({
  id,
  on: z.strictObject({ interval: duration.optional(), cron: z.string().optional() }).optional(),
  params: params.optional(),
  timeout: duration.optional(),
  run: z.preprocess(
    (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? [v] : v),
    z.array(stepSchema, { error: "expected a step or a list of steps" }).min(1),
  ),
});

/** The whole config file, schema v1. */
export const configSchema = z.strictObject({
  otai: z.string().optional(),
  plugins: z.array(pluginEntrySchema).optional(),
  services: z.array(serviceEntrySchema).optional(),
  defaults: z.strictObject({ timeout: duration.optional() }).optional(),
  orchestrator: z.strictObject({ runners: z.array(runnerSchema).min(1) }),
});

/** A validated config file. */
export type Config = z.infer<typeof configSchema>;
/** A validated `plugins:` entry. */
export type PluginEntry = z.infer<typeof pluginEntrySchema>;
/** A validated `services:` entry. */
export type ServiceEntry = z.infer<typeof serviceEntrySchema>;
/** A validated runner. */
export type RunnerConfig = z.infer<typeof runnerSchema>;
