/**
 * Shape checks of a parsed model file, so a damaged or foreign file fails with a precise reason
 * instead of a wrong prediction later.
 *
 * @module
 */

/**
 * Describe the first way a parsed value fails to be a version 1 model body (format and version
 * are checked by the caller).
 *
 * @param value A parsed JSON object claiming to be a model.
 * @returns A lower-case description of the problem, or `undefined` when the shape is right.
 *
 * @example A model without labels
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { modelShapeProblem } from "./_validate.ts";
 *
 * deepEqual(modelShapeProblem({ labels: [] }), "labels must be a non-empty array of strings");
 * ```
 */
export function modelShapeProblem(value: Record<string, unknown>): string | undefined {
  const labels = value.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every(_isNonEmptyString)) {
    return "labels must be a non-empty array of strings";
  }
  if (new Set(labels).size !== labels.length) return "labels contains a label twice";
  return _featuresProblem(value.features) ?? _arraysProblem(value, labels.length) ??
    _scalarsProblem(value, labels.length);
}

function _featuresProblem(features: unknown): string | undefined {
  if (!_isRecord(features)) return "features must be an object";
  const log2 = features.buckets_log2;
  if (!Number.isInteger(log2) || (log2 as number) < 4 || (log2 as number) > 24) {
    return "features.buckets_log2 must be an integer from 4 to 24";
  }
  for (const key of ["word_ngrams", "char_ngrams"]) {
    const range = features[key];
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isInteger)) {
      return `features.${key} must be a pair of integers`;
    }
    const [min, max] = range as [number, number];
    if (min < 0 || max > 16 || min > max || (max > 0 && min === 0)) {
      return `features.${key} must be [0, 0] or [min, max] with 1 <= min <= max <= 16`;
    }
  }
  for (const key of ["word_weight", "char_weight"]) {
    if (!_isFiniteNumber(features[key]) || (features[key] as number) < 0) {
      return `features.${key} must be a number of at least 0`;
    }
  }
  if (typeof features.sublinear_tf !== "boolean") return "features.sublinear_tf must be a boolean";
  return undefined;
}

function _arraysProblem(value: Record<string, unknown>, classes: number): string | undefined {
  if (typeof value.rows !== "string") return "rows must be a base64 string";
  const idf = value.idf;
  if (idf !== null) {
    if (!_isRecord(idf) || typeof idf.data !== "string") {
      return "idf must be null or an object with a base64 data string";
    }
    if (!_isFiniteNumber(idf.unseen) || idf.unseen < 0) return "idf.unseen must be a number >= 0";
  }
  const weights = value.weights;
  if (!_isRecord(weights) || typeof weights.data !== "string") {
    return "weights must be an object with a base64 data string";
  }
  if (weights.encoding !== "int8" && weights.encoding !== "float32") {
    return 'weights.encoding must be "int8" or "float32"';
  }
  const scales = weights.scales;
  const expected = weights.encoding === "int8" ? classes : 0;
  if (!Array.isArray(scales) || scales.length !== expected || !scales.every(_isFiniteNumber)) {
    return `weights.scales must hold ${expected} numbers`;
  }
  return undefined;
}

function _scalarsProblem(value: Record<string, unknown>, classes: number): string | undefined {
  const bias = value.bias;
  if (!Array.isArray(bias) || bias.length !== classes || !bias.every(_isFiniteNumber)) {
    return `bias must hold ${classes} numbers, one per label`;
  }
  if (!_isFiniteNumber(value.temperature) || value.temperature <= 0) {
    return "temperature must be a number above 0";
  }
  if (!_isRecord(value.training)) return "training must be an object";
  return undefined;
}

function _isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function _isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function _isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
