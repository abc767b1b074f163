/**
 * Parsed models kept in memory, so a runner that classifies per item or per batch reads and
 * decodes a model file once, and again only when the file changes.
 *
 * @module
 */

import type { PluginLogger } from "@otai/cli/plugin";
import { type Model, unpackModel } from "./_model.ts";
import { readModel } from "./_model_file.ts";

/** How many models stay cached (least recently used first out). */
const CAPACITY = 4;

interface _Entry {
  key: string;
  model: Promise<Model>;
}

const _cache = new Map<string, _Entry>();

/**
 * Load a model file, from memory when the file's modification time, size and inode are those it
 * had when it was read last. Concurrent loads of one file share one read.
 *
 * @param path The model file; needs read permission.
 * @param log Where to note that the file was read (at debug level).
 * @returns The model.
 * @throws {Error} The message of `readModel`/`parseModel` when the file is missing or not a
 * valid model; permission errors as Deno raises them.
 *
 * @example The second load comes from memory
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { loadModel } from "./_model_cache.ts";
 * import { writeModel } from "./_model_file.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeModel(`${dir}/m.json`, trainModel([{ text: "hi", label: "a" }], { features: { buckets_log2: 8 } }));
 * strictEqual(await loadModel(`${dir}/m.json`), await loadModel(`${dir}/m.json`));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadModel(path: string, log?: PluginLogger): Promise<Model> {
  const key = _fileKey(path);
  if (key === undefined) {
    _cache.delete(path);
    return await readModel(path);
  }
  const entry = _cache.get(path);
  if (entry !== undefined && entry.key === key) {
    _cache.delete(path);
    _cache.set(path, entry);
    return await entry.model;
  }
  const model = _read(path, log);
  _remember(path, { key, model });
  try {
    return await model;
  } catch (error) {
    if (_cache.get(path)?.model === model) _cache.delete(path);
    throw error;
  }
}

/**
 * Cache a model just written to a file, so the next load of that file needs no read, and decode
 * its weights, as `parseModel` does, so the first prediction is fast.
 *
 * @param path The model file, as written.
 * @param model The model it holds.
 * @returns Nothing; a file that cannot be examined is not cached.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { loadModel, rememberModel } from "./_model_cache.ts";
 * import { writeModel } from "./_model_file.ts";
 * import { trainModel } from "./_train_model.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const model = trainModel([{ text: "hi", label: "a" }], { features: { buckets_log2: 8 } });
 * await writeModel(`${dir}/m.json`, model);
 * rememberModel(`${dir}/m.json`, model);
 * strictEqual(await loadModel(`${dir}/m.json`), model);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function rememberModel(path: string, model: Model): void {
  let key: string | undefined;
  try {
    key = _fileKey(path);
  } catch {
    key = undefined;
  }
  if (key === undefined) {
    _cache.delete(path);
    return;
  }
  unpackModel(model);
  _remember(path, { key, model: Promise.resolve(model) });
}

function _remember(path: string, entry: _Entry): void {
  _cache.delete(path);
  _cache.set(path, entry);
  while (_cache.size > CAPACITY) _cache.delete(_cache.keys().next().value as string);
}

async function _read(path: string, log: PluginLogger | undefined): Promise<Model> {
  const started = performance.now();
  const model = await readModel(path);
  log?.debug("Loaded model {path}: {labels} labels in {ms} ms", {
    path,
    labels: model.labels.length,
    ms: Math.round(performance.now() - started),
  });
  return model;
}

/**
 * The file's identity for caching, or undefined when it does not exist. A synchronous stat takes
 * a few microseconds; the asynchronous one about fifty, which a runner classifying one ticket
 * per call would pay on every call.
 */
function _fileKey(path: string): string | undefined {
  try {
    const info = Deno.statSync(path);
    return `${info.mtime?.getTime() ?? "?"}:${info.size}:${info.ino ?? "?"}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
