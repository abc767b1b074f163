import { z } from "zod";
import { configSchema } from "./schema.ts";
import {
  type JsonSchema,
  liftParamsSchema,
  tolerateEnv,
  tolerateTemplates,
} from "./_json_schema_parts.ts";

export type { JsonSchema };
export { ENV_STRING } from "./_json_schema_parts.ts";

/** The params schema of one pipe or service a config uses, as its plugin's manifest gives it. */
export interface ParamsSchemaOf {
  /** `prefix:Name`, as a step's or service's `use` names it. */
  use: string;
  /** Whether steps (`pipe`) or services (`service`) use it. */
  kind: "pipe" | "service";
  /** Its params' JSON Schema (draft 2020-12). */
  schema: Record<string, unknown>;
}

/** Options for {@linkcode configJsonSchema}. */
export interface ConfigJsonSchemaOptions {
  /** Params schemas of the pipes and services of one config, to constrain their `params`. */
  params?: ParamsSchemaOf[];
}

/** Where the step schema sits in `$defs`. */
const STEP = "step";

/**
 * The JSON Schema (draft 2020-12) of a config file, generated from the zod schema the loader
 * checks it with. What zod cannot express (durations' upper bound, CEL syntax, "either use or
 * for_each") is left out, and every value may be a `${NAME}` reference, so each config the
 * loader accepts validates; the loader still has the last word.
 *
 * @param options With `params`, each step's and service's `params` is checked against the
 * schema of the pipe or service its `use` names (`${{ … }}` strings allowed anywhere).
 * @returns The schema, as plain data.
 *
 * @example
 * ```ts
 * import { configJsonSchema } from "@otai/cli";
 * import { equal } from "node:assert/strict";
 * const schema = configJsonSchema() as { required: string[] };
 * equal(schema.required[0], "orchestrator");
 * ```
 */
export function configJsonSchema(options: ConfigJsonSchemaOptions = {}): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  const named = nameStepDef(generated);
  const schema = tolerateEnv(named) as Record<string, unknown>;
  const defs = schema.$defs as Record<string, Record<string, unknown>>;
  const runner = runnerOf(schema);
  const steps = runner.run as Record<string, unknown>;
  // The loader takes one step where a list is expected (`run: { id, use }`).
  runner.run = {
    description: "One step or a list of steps",
    anyOf: [{ $ref: `#/$defs/${STEP}` }, steps],
  };
  const params = options.params ?? [];
  if (params.length) {
    const services = (schema.properties as Record<string, Record<string, unknown>>).services!;
    constrainParams(defs[STEP]!, params.filter((p) => p.kind === "pipe"), defs);
    constrainParams(
      services.items as Record<string, unknown>,
      params.filter((p) => p.kind === "service"),
      defs,
    );
  }
  return {
    $schema: generated.$schema,
    title: "otai config (schema v1)",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

/** The schema with zod's generated name of the recursive step schema replaced by `step`. */
function nameStepDef(schema: Record<string, unknown>): Record<string, unknown> {
  const run = (runnerOf(schema).run as { items?: { $ref?: string } }).items?.$ref;
  const from = run?.replace("#/$defs/", "");
  if (!from) {
    throw new Error("Cannot generate the config schema: the step schema has no $defs entry");
  }
  const text = JSON.stringify(schema).replaceAll(`"#/$defs/${from}"`, `"#/$defs/${STEP}"`);
  const renamed = JSON.parse(text) as { $defs: Record<string, unknown> };
  renamed.$defs = { [STEP]: renamed.$defs[from] };
  return renamed;
}

/** The schema of one entry under `orchestrator.runners`. */
function runnerOf(schema: Record<string, unknown>): Record<string, unknown> {
  const props = (s: unknown) => (s as { properties: Record<string, unknown> }).properties;
  const runners = props(props(schema).orchestrator).runners as { items: unknown };
  return props(runners.items);
}

/**
 * Adds to an entry's schema, for each `use`, a rule that its `params` match that schema.
 * Service params take no expressions (`${NAME}` only); step params may hold both.
 */
function constrainParams(
  entry: Record<string, unknown>,
  params: ParamsSchemaOf[],
  defs: Record<string, JsonSchema>,
): void {
  if (!params.length) return;
  const rules = params.map(({ use, kind, schema }) => {
    const key = `params.${use.replace(":", ".")}`;
    const lifted = liftParamsSchema(schema, key);
    for (const [name, def] of Object.entries(lifted)) {
      defs[name] = kind === "pipe" ? tolerateTemplates(def) : tolerateEnv(def);
    }
    return {
      if: { properties: { use: { const: use } }, required: ["use"] },
      then: { properties: { params: { $ref: `#/$defs/${key}` } } },
    };
  });
  entry.allOf = [...(Array.isArray(entry.allOf) ? entry.allOf : []), ...rules];
}
