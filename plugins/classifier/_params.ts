/**
 * The zod schemas the classifier pipes' params share: paths, field lists, the label field, a
 * holdout and the training options. The host validates params with them before a pipe runs
 * (and when the config is loaded, for params without expressions).
 *
 * @module
 */

import { z } from "zod";

/**
 * An error message for a value that is missing or has the wrong type (zod's for the rest).
 *
 * @param what What the value must be, e.g. `"a field name"`.
 * @returns The zod error option.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { match } from "node:assert/strict";
 * import { expected } from "./_params.ts";
 *
 * const result = z.string(expected("a field name")).safeParse(undefined);
 * match(result.error?.issues[0]?.message ?? "", /^is required: a field name$/);
 * ```
 */
export function expected(
  what: string,
): { error: (issue: { code?: string; input?: unknown }) => string | undefined } {
  return {
    error(issue) {
      if (issue.code !== "invalid_type" && issue.code !== "invalid_union") return undefined;
      return issue.input === undefined ? `is required: ${what}` : `must be ${what}`;
    },
  };
}

/**
 * The schema of a file path.
 *
 * @param what What the file holds, e.g. `"the model file to write"`.
 * @returns The schema.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { pathParam } from "./_params.ts";
 *
 * strictEqual(pathParam("a model file").safeParse("").success, false);
 * ```
 */
export function pathParam(what: string): z.ZodString {
  return z.string(expected(`the path of ${what}`)).min(1, `must be the path of ${what}`);
}

/** The schema of the fields joined as the text. */
export const fieldsParam: z.ZodArray<z.ZodString> = z.array(
  z.string(expected("a field name")).min(1, "must be a field name"),
  expected("a list of field names, e.g. [subject, body]"),
).min(1, "must name at least one field, e.g. [subject, body]");

/** The schema of the label field's name. */
export const labelParam: z.ZodString = z.string(
  expected("the name of the label field, e.g. queue"),
).min(1, "must be the name of the label field, e.g. queue");

/**
 * The schema of `holdout`: which rows of a data file are held out.
 *
 * @param seed The seed of the shuffle when none is given.
 * @returns The schema.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { holdoutParam } from "./_params.ts";
 *
 * deepStrictEqual(holdoutParam(42).parse({ fraction: 0.2 }), { fraction: 0.2, seed: 42 });
 * ```
 */
export function holdoutParam(seed: number) {
  return z.strictObject({
    fraction: z.number(expected("the share of rows held out, e.g. 0.2"))
      .gt(0, "must be above 0 and below 1")
      .lt(1, "must be above 0 and below 1"),
    seed: z.number().int("must be an integer").default(seed),
  }, expected("{ fraction, seed }"));
}

const ngrams = z.tuple([z.number().int().min(0).max(16), z.number().int().min(0).max(16)], {
  error: "must be [0, 0] (off) or [min, max] with 1 <= min <= max <= 16",
}).refine(([min, max]) => (min === 0 && max === 0) || (min >= 1 && min <= max), {
  message: "must be [0, 0] (off) or [min, max] with 1 <= min <= max <= 16",
});

/** The schema of the `options` of `classifier:Train`; absent settings stay absent. */
export const trainOptionsParam = z.strictObject({
  epochs: z.number().int().min(1, "must be at least 1").optional(),
  cost: z.number().gt(0, "must be above 0").optional(),
  calibration: z.number().min(0).lt(1, "must be at least 0 and below 1").optional(),
  seed: z.number().int("must be an integer").optional(),
  idf: z.boolean().optional(),
  weight_encoding: z.enum(["int8", "float32"]).optional(),
  buckets_log2: z.number().int().min(4, "must be from 4 to 24").max(24, "must be from 4 to 24")
    .optional(),
  word_ngrams: ngrams.optional(),
  char_ngrams: ngrams.optional(),
  word_weight: z.number().min(0).optional(),
  char_weight: z.number().min(0).optional(),
  sublinear_tf: z.boolean().optional(),
}, expected("an object of training options"));

/** The defaults the classifier pipes' params fall back on: the plugin's `defaults`. */
export interface ParamDefaults {
  /** Of `classifier:Train`. */
  train: { if_missing: boolean; options: z.output<typeof trainOptionsParam> };
  /** Of `classifier:Classify`. */
  classify: { text: string[]; top: number };
  /** Of `holdout`, in `classifier:Train` and `classifier:Evaluate`. */
  holdout: { seed: number };
}
