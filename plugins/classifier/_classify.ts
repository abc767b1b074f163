/**
 * The `classifier:Classify` pipe: tickets in, a label with its confidence per ticket out.
 *
 * @module
 */

import { z } from "zod";
import {
  definePipe,
  type PipeContext,
  type PipeDefinition,
  type PluginLogger,
} from "@otai/cli/plugin";
import { recordText } from "./_examples.ts";
import { type LabelScore, type Model, predict } from "./_model.ts";
import { loadModel } from "./_model_cache.ts";
import { expected, fieldsParam, type ParamDefaults, pathParam } from "./_params.ts";

/** The prediction for one ticket. */
export interface TicketPrediction {
  /** The ticket's id, as given. */
  id: string | number;
  /** The most likely label. */
  label: string;
  /** Its probability in [0, 1]. */
  confidence: number;
  /** The `top` most likely labels, best first. */
  top: LabelScore[];
}

/** The data of a `classifier:Classify` step. */
export interface ClassifyResult {
  /** One prediction per ticket, in the order given. */
  predictions: TicketPrediction[];
  /** The model's labels and file format version. */
  model: { labels: string[]; version: number };
}

const _warned = new WeakMap<Model, Set<string>>();

/**
 * Defines the pipe that classifies tickets with a model file; the parsed model stays in memory
 * across calls until the file changes.
 *
 * @param defaults The defaults of its params.
 * @returns The `Classify` pipe.
 *
 * @example
 * ```ts
 * import { defineClassifyPipe } from "./_classify.ts";
 * import { strictEqual } from "node:assert/strict";
 * const defaults = { train: { if_missing: false, options: {} }, classify: { text: ["subject"], top: 3 }, holdout: { seed: 42 } };
 * strictEqual(defineClassifyPipe(defaults).name, "Classify");
 * ```
 */
export function defineClassifyPipe(defaults: ParamDefaults): PipeDefinition<ClassifyParams> {
  return definePipe<ClassifyParams>({
    kind: "pipe",
    name: "Classify",
    services: {},
    description: "Predicts a label with its confidence for each ticket, with a trained model",
    params: _params(defaults),
    run: _classify,
  });
}

/** Validated params of `classifier:Classify`. */
type ClassifyParams = z.output<ReturnType<typeof _params>>;

function _params(defaults: ParamDefaults) {
  return z.strictObject({
    model: pathParam("a model file from classifier:Train"),
    tickets: z.array(
      z.looseObject({
        id: z.union([z.string(), z.number()], expected("an id (a string or a number)")),
      }, expected("a ticket: an object with an id")),
      expected("a list of tickets, each an object with an id"),
    ),
    text: fieldsParam.default(defaults.classify.text),
    top: z.number().int("must be an integer").min(0).max(1000).default(defaults.classify.top),
  });
}

async function _classify(ctx: PipeContext<ClassifyParams>): Promise<ClassifyResult> {
  ctx.signal.throwIfAborted();
  const { tickets, text, top } = ctx.params;
  const model = await loadModel(ctx.params.model, ctx.log);
  _warnOnOtherFields(ctx.log, model, text, ctx.params.model);
  const started = performance.now();
  const predictions = tickets.map((ticket): TicketPrediction => ({
    id: ticket.id,
    ...predict(model, recordText(ticket, text), top),
  }));
  ctx.log.debug("Classified {count} tickets in {ms} ms", {
    count: tickets.length,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
  return { predictions, model: { labels: [...model.labels], version: model.version } };
}

/** Warns once per model and fields when the text fields differ from those it was trained on. */
function _warnOnOtherFields(
  log: PluginLogger,
  model: Model,
  fields: readonly string[],
  path: string,
): void {
  const trained = (model.training as { text?: unknown }).text;
  if (!Array.isArray(trained) || trained.join("\n") === fields.join("\n")) return;
  const seen = _warned.get(model) ?? new Set();
  _warned.set(model, seen);
  const key = fields.join("\n");
  if (seen.has(key)) return;
  seen.add(key);
  log.warn(
    "Model {path} was trained on the fields {trained} but classifies {fields}; " +
      "set text to the fields it was trained on",
    { path, trained: trained.join(", "), fields: fields.join(", ") },
  );
}
