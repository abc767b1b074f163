/**
 * Saving and loading models: JSON text, with validation that names the file, what is wrong with
 * it and how to fix it.
 *
 * @module
 */

import { type Model, MODEL_FORMAT, MODEL_VERSION, unpackModel } from "./_model.ts";
import { modelShapeProblem } from "./_validate.ts";

const RETRAIN = "retrain it with classifier:Train";

/**
 * Serialise a model to JSON text (two-space indented, ending in a newline).
 *
 * @param model A model from `trainModel` or `parseModel`.
 * @returns JSON text that {@linkcode parseModel} reads back.
 *
 * @example Round trip
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseModel, serializeModel } from "./_model_file.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const model = trainModel([{ text: "hello", label: "greeting" }], { features: { buckets_log2: 8 } });
 * deepEqual(parseModel(serializeModel(model)), model);
 * ```
 */
export function serializeModel(model: Model): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/**
 * Parse and validate a model's JSON text, and decode its weights so the first prediction is fast.
 *
 * @param text JSON text from {@linkcode serializeModel}.
 * @param path Where the text came from, for error messages.
 * @returns The model.
 * @throws {Error} When the text is not valid JSON (a corrupt or truncated file), is not an otai
 * classifier model, has an unsupported version or a damaged shape; the message names the path,
 * the problem and the fix.
 *
 * @example A truncated file
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { parseModel } from "./_model_file.ts";
 *
 * throws(() => parseModel('{"format": "otai-classi', "models/queue.json"), /truncated/);
 * ```
 */
export function parseModel(text: string, path?: string): Model {
  const where = path === undefined ? "" : ` "${path}"`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Cannot load classifier model${where}: it is not valid JSON, so the file is truncated or ` +
        `corrupt (${(error as Error).message}); ${RETRAIN}`,
      { cause: error },
    );
  }
  const problem = _headerProblem(value);
  if (problem !== undefined) throw new Error(`Cannot load classifier model${where}: ${problem}`);
  const record = value as Record<string, unknown>;
  const shape = modelShapeProblem(record);
  if (shape !== undefined) {
    throw new Error(`Cannot load classifier model${where}: it is damaged: ${shape}; ${RETRAIN}`);
  }
  const model = record as unknown as Model;
  try {
    unpackModel(model);
  } catch (error) {
    throw new Error(
      `Cannot load classifier model${where}: it is damaged or truncated: ` +
        `${(error as Error).message}; ${RETRAIN}`,
      { cause: error },
    );
  }
  return model;
}

/**
 * Read and validate a model file. Needs read permission for the path.
 *
 * @param path The model file.
 * @returns The model.
 * @throws {Error} When the file does not exist or is not a valid model; see {@linkcode parseModel}.
 *
 * @example Write and read back
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { readModel, writeModel } from "./_model_file.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const model = trainModel([{ text: "hello", label: "greeting" }], { features: { buckets_log2: 8 } });
 * const dir = await Deno.makeTempDir();
 * await writeModel(`${dir}/model.json`, model);
 * deepEqual((await readModel(`${dir}/model.json`)).labels, ["greeting"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readModel(path: string): Promise<Model> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot load classifier model "${path}": the file does not exist; ` +
          "train one with classifier:Train or fix the path",
        { cause: error },
      );
    }
    throw error;
  }
  return parseModel(text, path);
}

/**
 * Write a model file atomically: to a temporary file next to it, then renamed over it, so readers
 * never see half a model. Needs write permission for the directory.
 *
 * @param path The model file to create or replace.
 * @param model The model to write.
 * @returns Resolves once the file is in place.
 *
 * @example Write a model file
 * ```ts
 * import { writeModel } from "./_model_file.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeModel(`${dir}/m.json`, trainModel([{ text: "hi", label: "a" }], { features: { buckets_log2: 8 } }));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeModel(path: string, model: Model): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(temporary, serializeModel(model));
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

function _headerProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `it is not an otai classifier model (not a JSON object); ${RETRAIN}`;
  }
  const { format, version } = value as Record<string, unknown>;
  if (format !== MODEL_FORMAT) {
    return `it is not an otai classifier model (format is ${JSON.stringify(format ?? null)}, ` +
      `expected "${MODEL_FORMAT}"); check the path or ${RETRAIN}`;
  }
  if (version !== MODEL_VERSION) {
    const newer = typeof version === "number" && version > MODEL_VERSION;
    return `it has version ${JSON.stringify(version ?? null)}, and this otai reads only version ` +
      `${MODEL_VERSION}; ${newer ? "upgrade otai or " : ""}${RETRAIN}`;
  }
  return undefined;
}
