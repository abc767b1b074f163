/**
 * The `classifier:Train` pipe: labelled rows from a file in, a model file out.
 *
 * @module
 */

import { dirname } from "node:path";
import { z } from "zod";
import { definePipe, type PipeContext, type PipeDefinition } from "@otai/cli/plugin";
import { checkpoint } from "./_checkpoint.ts";
import { readExamples } from "./_examples.ts";
import { loadModel, rememberModel } from "./_model_cache.ts";
import { writeModel } from "./_model_file.ts";
import {
  fieldsParam,
  holdoutParam,
  labelParam,
  type ParamDefaults,
  pathParam,
  trainOptionsParam,
} from "./_params.ts";
import { toTrainOptions, trainModel } from "./_train_model.ts";

// The benchmark imports the training itself from here.
export { type Example, trainModel } from "./_train_model.ts";

/** The data of a `classifier:Train` step. */
export interface TrainResult {
  /** Examples trained on (rows with a label). */
  examples: number;
  /** Rows left out because their label is empty. */
  skipped_rows: number;
  /** Examples per label, by label. */
  labels: Record<string, number>;
  /** Seconds spent training (reading and writing not included). */
  train_seconds: number;
  /** The model file written. */
  model: string;
  /** Its size in bytes. */
  bytes: number;
}

/**
 * Defines the pipe that trains a model from a CSV or JSONL file and writes it atomically; with
 * `if_missing`, it skips when the model file already holds a valid model.
 *
 * @param defaults The defaults of its params.
 * @returns The `Train` pipe.
 *
 * @example
 * ```ts
 * import { defineTrainPipe } from "./_train.ts";
 * import { strictEqual } from "node:assert/strict";
 * const defaults = { train: { if_missing: false, options: {} }, classify: { text: [], top: 3 }, holdout: { seed: 42 } };
 * strictEqual(defineTrainPipe(defaults).name, "Train");
 * ```
 */
export function defineTrainPipe(defaults: ParamDefaults): PipeDefinition<TrainParams> {
  return definePipe<TrainParams>({
    kind: "pipe",
    name: "Train",
    services: {},
    description: "Trains a text classifier from a CSV or JSONL file and writes the model file",
    params: _params(defaults),
    run: _train,
  });
}

/** Validated params of `classifier:Train`. */
type TrainParams = z.output<ReturnType<typeof _params>>;

function _params(defaults: ParamDefaults) {
  return z.strictObject({
    data: pathParam("a CSV or JSONL file of labelled rows"),
    text: fieldsParam,
    label: labelParam,
    model: pathParam("the model file to write"),
    if_missing: z.boolean().default(defaults.train.if_missing),
    holdout: holdoutParam(defaults.holdout.seed).optional(),
    options: trainOptionsParam.default(defaults.train.options),
  });
}

async function _train(ctx: PipeContext<TrainParams>): Promise<TrainResult> {
  const { data, text, label, model: path, holdout } = ctx.params;
  if (ctx.params.if_missing && await _hasModel(ctx, path)) ctx.skip(`model exists: ${path}`);
  await _checkWritable(path);
  const read = await readExamples(data, {
    text,
    label,
    holdout: holdout && { ...holdout, part: "train" },
  });
  if (read.examples.length === 0) {
    throw new Error(
      `Cannot train from "${data}": no row has a label in "${label}"` +
        `${holdout ? " in the training part" : ""}; label some rows or fix label`,
    );
  }
  await checkpoint(ctx.signal);
  const started = performance.now();
  const trained = trainModel(read.examples, toTrainOptions(ctx.params.options));
  const train_seconds = Math.round(performance.now() - started) / 1000;
  await checkpoint(ctx.signal);
  const model = { ...trained, training: { ...trained.training, text, label } };
  await _write(path, model);
  rememberModel(path, model);
  const bytes = (await Deno.stat(path)).size;
  ctx.log.info("Trained {path}: {examples} examples, {labels} labels in {seconds} s", {
    path,
    examples: read.examples.length,
    labels: model.labels.length,
    seconds: train_seconds,
  });
  return {
    examples: read.examples.length,
    skipped_rows: read.skipped_rows,
    labels: Object.fromEntries(model.labels.map((l) => [l, model.training.counts[l] ?? 0])),
    train_seconds,
    model: path,
    bytes,
  };
}

/** Whether `path` holds a valid model; an invalid one is reported and will be replaced. */
async function _hasModel(ctx: PipeContext<TrainParams>, path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  try {
    await loadModel(path, ctx.log);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw error;
    }
    ctx.log.warn("Retraining: {message}", { message: (error as Error).message });
    return false;
  }
}

/** Fails before training, not after, when the model file may not be written. */
async function _checkWritable(path: string): Promise<void> {
  const { state } = await Deno.permissions.query({ name: "write", path });
  if (state !== "granted") {
    throw new Deno.errors.NotCapable(
      `Requires write access to "${path}", which classifier:Train writes the model to`,
    );
  }
}

/** Writes the model, creating its directory when it does not exist. */
async function _write(path: string, model: Parameters<typeof writeModel>[1]): Promise<void> {
  try {
    await writeModel(path, model);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await Deno.mkdir(dirname(path), { recursive: true });
    await writeModel(path, model);
  }
}
