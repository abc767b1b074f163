/**
 * The `classifier:Evaluate` pipe: a model scored on labelled rows from a file.
 *
 * @module
 */

import { z } from "zod";
import { definePipe, type PipeContext, type PipeDefinition } from "@otai/cli/plugin";
import { checkpoint } from "./_checkpoint.ts";
import { readExamples } from "./_examples.ts";
import { type ClassScores, evaluate } from "./_metrics.ts";
import { loadModel } from "./_model_cache.ts";
import { fieldsParam, holdoutParam, labelParam, type ParamDefaults, pathParam } from "./_params.ts";

/** The data of a `classifier:Evaluate` step. */
export interface EvaluateResult {
  /** Examples evaluated (rows with a label, of the held-out part when `holdout` is given). */
  examples: number;
  /** Rows left out because their label is empty. */
  skipped_rows: number;
  /** Share of examples predicted correctly. */
  accuracy: number;
  /** Unweighted mean F1 over the labels that occur in the examples or the predictions. */
  macro_f1: number;
  /** Scores of every label of the model and of the examples. */
  per_class: Record<string, ClassScores>;
  /** `matrix[i][j]` counts examples labelled `labels[i]` and predicted as `labels[j]`. */
  confusion: { labels: string[]; matrix: number[][] };
}

/**
 * Defines the pipe that evaluates a model on a CSV or JSONL file, or on its held-out part:
 * accuracy, macro-F1, per-label scores and the confusion matrix.
 *
 * @param defaults The defaults of its params.
 * @returns The `Evaluate` pipe.
 *
 * @example
 * ```ts
 * import { defineEvaluatePipe } from "./_evaluate.ts";
 * import { strictEqual } from "node:assert/strict";
 * const defaults = { train: { if_missing: false, options: {} }, classify: { text: [], top: 3 }, holdout: { seed: 42 } };
 * strictEqual(defineEvaluatePipe(defaults).name, "Evaluate");
 * ```
 */
export function defineEvaluatePipe(defaults: ParamDefaults): PipeDefinition<EvaluateParams> {
  return definePipe<EvaluateParams>({
    kind: "pipe",
    name: "Evaluate",
    services: {},
    description: "Scores a model on labelled rows: accuracy, macro-F1, per label, confusion",
    params: _params(defaults),
    run: _evaluate,
  });
}

/** Validated params of `classifier:Evaluate`. */
type EvaluateParams = z.output<ReturnType<typeof _params>>;

function _params(defaults: ParamDefaults) {
  return z.strictObject({
    model: pathParam("a model file from classifier:Train"),
    data: pathParam("a CSV or JSONL file of labelled rows"),
    text: fieldsParam,
    label: labelParam,
    holdout: holdoutParam(defaults.holdout.seed).optional(),
  });
}

async function _evaluate(ctx: PipeContext<EvaluateParams>): Promise<EvaluateResult> {
  const { data, text, label, holdout } = ctx.params;
  const model = await loadModel(ctx.params.model, ctx.log);
  const read = await readExamples(data, {
    text,
    label,
    holdout: holdout && { ...holdout, part: "test" },
  });
  if (read.examples.length === 0) {
    throw new Error(
      `Cannot evaluate on "${data}": no row${holdout ? " of the held-out part" : ""} has a ` +
        `label in "${label}"; ${holdout ? "raise holdout.fraction or " : ""}label some rows`,
    );
  }
  await checkpoint(ctx.signal);
  const result = evaluate(model, read.examples);
  return { examples: read.examples.length, skipped_rows: read.skipped_rows, ...result };
}
