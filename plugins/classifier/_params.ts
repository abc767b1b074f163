/**
 * The param schemas of the classifier pipes, validated by the host before a pipe runs (and when
 * the config is loaded, for params without expressions).
 *
 * @module
 */

import { z } from "zod";
import type { StandardSchema } from "../../plugin.ts";
import type { TrainOptions } from "./_train.ts";

/** Which rows of a data file are held out, as `splitHoldout(rows, fraction, seed)` splits them. */
export interface HoldoutParams {
  /** Share of the rows held out, above 0 and below 1. */
  fraction: number;
  /** Seed of the shuffle (default 42). */
  seed: number;
}

/** The `options` of `classifier:Train`: `trainModel` settings under snake_case names. */
export interface TrainOptionsParams {
  /** Passes of the solver over the data (default 15). */
  epochs?: number | undefined;
  /** SVM inverse regularisation strength C (default 10). */
  cost?: number | undefined;
  /** Share held out to fit the confidence temperature (default 0.2; 0 turns it off). */
  calibration?: number | undefined;
  /** Seed of the training shuffles (default 42). */
  seed?: number | undefined;
  /** Weight features by inverse document frequency (default true). */
  idf?: boolean | undefined;
  /** How weights are stored (default `"int8"`). */
  weight_encoding?: "int8" | "float32" | undefined;
  /** Hash buckets as a power of two, 4 to 24 (default 20). */
  buckets_log2?: number | undefined;
  /** Word n-gram lengths (default `[1, 4]`; `[0, 0]` is off). */
  word_ngrams?: [number, number] | undefined;
  /** Character n-gram lengths (default `[0, 0]`, off). */
  char_ngrams?: [number, number] | undefined;
  /** Weight of the word block (default 1). */
  word_weight?: number | undefined;
  /** Weight of the character block (default 1). */
  char_weight?: number | undefined;
  /** Use `1 + ln(count)` instead of the count (default true). */
  sublinear_tf?: boolean | undefined;
}

/** Validated params of `classifier:Train`. */
export interface TrainParams {
  /** A CSV or JSON Lines file of labelled rows. */
  data: string;
  /** The fields joined as the text. */
  text: string[];
  /** The field to learn. */
  label: string;
  /** The model file to write. */
  model: string;
  /** Skip when the model file already holds a valid model. */
  if_missing: boolean;
  /** Train only on the rows not held out. */
  holdout?: HoldoutParams | undefined;
  /** Training settings. */
  options: TrainOptionsParams;
}

/** Validated params of `classifier:Classify`. */
export interface ClassifyParams {
  /** A model file from `classifier:Train`. */
  model: string;
  /** Ticket-like records, each with an id. */
  tickets: ({ id: string | number } & Record<string, unknown>)[];
  /** The fields joined as the text (default `["subject", "body"]`). */
  text: string[];
  /** How many labels to list per ticket (default 3). */
  top: number;
}

/** Validated params of `classifier:Evaluate`. */
export interface EvaluateParams {
  /** A model file. */
  model: string;
  /** A CSV or JSON Lines file of labelled rows. */
  data: string;
  /** The fields joined as the text. */
  text: string[];
  /** The field holding the true label. */
  label: string;
  /** Evaluate only on the held-out rows. */
  holdout?: HoldoutParams | undefined;
}

/** An error message for a value that is missing or has the wrong type (zod's for the rest). */
function _expected(
  what: string,
): { error: (issue: { code?: string; input?: unknown }) => string | undefined } {
  return {
    error(issue) {
      if (issue.code !== "invalid_type" && issue.code !== "invalid_union") return undefined;
      return issue.input === undefined ? `is required: ${what}` : `must be ${what}`;
    },
  };
}

const path = (what: string) =>
  z.string(_expected(`the path of ${what}`)).min(1, `must be the path of ${what}`);

const fields = z.array(
  z.string(_expected("a field name")).min(1, "must be a field name"),
  _expected("a list of field names, e.g. [subject, body]"),
).min(1, "must name at least one field, e.g. [subject, body]");

const label = z.string(_expected("the name of the label field, e.g. queue"))
  .min(1, "must be the name of the label field, e.g. queue");

const holdout = z.strictObject({
  fraction: z.number(_expected("the share of rows held out, e.g. 0.2"))
    .gt(0, "must be above 0 and below 1")
    .lt(1, "must be above 0 and below 1"),
  seed: z.number().int("must be an integer").default(42),
}, _expected("{ fraction, seed }"));

const ngrams = z.tuple([z.number().int().min(0).max(16), z.number().int().min(0).max(16)], {
  error: "must be [0, 0] (off) or [min, max] with 1 <= min <= max <= 16",
}).refine(([min, max]) => (min === 0 && max === 0) || (min >= 1 && min <= max), {
  message: "must be [0, 0] (off) or [min, max] with 1 <= min <= max <= 16",
});

const trainOptions = z.strictObject({
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
}, _expected("an object of training options"));

/** Params of `classifier:Train`. */
export const trainParams: StandardSchema<TrainParams> = z.strictObject({
  data: path("a CSV or JSONL file of labelled rows"),
  text: fields,
  label,
  model: path("the model file to write"),
  if_missing: z.boolean().default(false),
  holdout: holdout.optional(),
  options: trainOptions.default({}),
});

/** Params of `classifier:Classify`. */
export const classifyParams: StandardSchema<ClassifyParams> = z.strictObject({
  model: path("a model file from classifier:Train"),
  tickets: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()], _expected("an id (a string or a number)")),
    }, _expected("a ticket: an object with an id")),
    _expected("a list of tickets, each an object with an id"),
  ),
  text: fields.default(["subject", "body"]),
  top: z.number().int("must be an integer").min(0).max(1000).default(3),
});

/** Params of `classifier:Evaluate`. */
export const evaluateParams: StandardSchema<EvaluateParams> = z.strictObject({
  model: path("a model file from classifier:Train"),
  data: path("a CSV or JSONL file of labelled rows"),
  text: fields,
  label,
  holdout: holdout.optional(),
});

/**
 * The `options` param of `classifier:Train` as `trainModel` options.
 *
 * @param options The validated options.
 * @returns The same settings under `trainModel`'s names; absent ones stay absent.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { toTrainOptions } from "./_params.ts";
 *
 * deepEqual(toTrainOptions({ epochs: 5, buckets_log2: 16 }), { epochs: 5, features: { buckets_log2: 16 } });
 * ```
 */
export function toTrainOptions(options: TrainParams["options"]): TrainOptions {
  const { weight_encoding, buckets_log2, word_ngrams, char_ngrams, ...rest } = options;
  const { word_weight, char_weight, sublinear_tf, ...solver } = rest;
  const features = _defined({
    buckets_log2,
    word_ngrams,
    char_ngrams,
    word_weight,
    char_weight,
    sublinear_tf,
  });
  return {
    ..._defined({ ...solver, weightEncoding: weight_encoding }),
    ...(Object.keys(features).length > 0 ? { features } : {}),
  };
}

function _defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
