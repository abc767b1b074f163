/**
 * The pieces that turn zod's JSON Schema of the config into one that is never stricter than the
 * loader: `${NAME}` environment references where a config value may stand, `${{ … }}`
 * expressions where a step's param may stand, and a plugin's params schema lifted into the
 * config schema's `$defs`.
 *
 * @module
 */

/** A JSON Schema node: an object, or `true` / `false`. */
export type JsonSchema = Record<string, unknown> | boolean;

/** A string holding a `${NAME}` or `${NAME:-default}` environment reference. */
export const ENV_STRING: Record<string, unknown> = {
  type: "string",
  pattern: "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}",
};

/** A string holding a `${{ expression }}` or a `${NAME}` reference: it may render as anything. */
export const TEMPLATE_STRING: Record<string, unknown> = { type: "string", pattern: "\\$\\{" };

const SCALARS = new Set(["string", "number", "integer", "boolean", "null"]);
/** Keywords whose value is one subschema. */
const ONE = ["additionalProperties", "items", "then", "else", "contains", "unevaluatedProperties"];
/** Keywords whose value is a list of subschemas. */
const LIST = ["anyOf", "oneOf", "allOf", "prefixItems"];
/** Keywords whose value maps names to subschemas. */
const MAP = ["properties", "patternProperties", "$defs", "dependentSchemas"];
/** What is annotation: it moves to the wrapper, where an editor shows it. */
const ANNOTATIONS = ["title", "description", "default", "examples"];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A copy of `node` with `visit` applied to each direct subschema (not under `not`, `if`). */
function mapChildren(node: JsonSchema, visit: (s: JsonSchema) => JsonSchema): JsonSchema {
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = { ...node };
  for (const k of ONE) if (k in out && isSchema(out[k])) out[k] = visit(out[k] as JsonSchema);
  for (const k of LIST) {
    if (Array.isArray(out[k])) out[k] = (out[k] as JsonSchema[]).map(visit);
  }
  for (const k of MAP) {
    if (isObject(out[k])) {
      out[k] = Object.fromEntries(
        Object.entries(out[k]).map(([name, s]) => [name, visit(s as JsonSchema)]),
      );
    }
  }
  return out;
}

function isSchema(v: unknown): boolean {
  return typeof v === "boolean" || isObject(v);
}

/** `node`, or any string that matches `alternative`; annotations move to the wrapper. */
function orString(node: Record<string, unknown>, alternative: Record<string, unknown>) {
  const inner = { ...node };
  const wrapper: Record<string, unknown> = {};
  for (const k of ANNOTATIONS) {
    if (!(k in inner)) continue;
    wrapper[k] = inner[k];
    delete inner[k];
  }
  return { ...wrapper, anyOf: [inner, alternative] };
}

/** Whether a node admits scalars only (so a `${NAME}` there becomes one scalar). */
function isScalar(node: JsonSchema): boolean {
  if (!isObject(node)) return false;
  if ("enum" in node || "const" in node) return true;
  const type = node.type;
  if (typeof type === "string") return SCALARS.has(type);
  if (Array.isArray(type)) return type.every((t) => SCALARS.has(t));
  const branches = node.anyOf ?? node.oneOf;
  return Array.isArray(branches) && branches.length > 0 && branches.every(isScalar);
}

/** Whether a node takes any string already: a `${NAME}` there needs no alternative. */
function takesAnyString(node: Record<string, unknown>): boolean {
  return node.type === "string" &&
    !["pattern", "enum", "const", "format", "minLength", "maxLength"].some((k) => k in node);
}

/**
 * Lets every scalar of a config schema also be a string with a `${NAME}` reference: the loader
 * substitutes those before it checks the value (`enabled: ${ON}` may become a boolean).
 */
export function tolerateEnv(node: JsonSchema): JsonSchema {
  if (!isObject(node)) return node;
  if (isScalar(node)) return takesAnyString(node) ? node : orString(node, ENV_STRING);
  return mapChildren(node, tolerateEnv);
}

/**
 * Lets every value in a params schema also be a string with a template: a string that is one
 * `${{ expression }}` may stand for any type, and one with text around it renders as a string.
 */
export function tolerateTemplates(node: JsonSchema): JsonSchema {
  const inner = mapChildren(node, tolerateTemplates);
  if (!isObject(inner) || Object.keys(inner).length === 0) return inner; // `true`, `{}`: anything
  return orString(inner, TEMPLATE_STRING);
}

/**
 * A plugin's params schema made to sit inside the config schema: its own `$defs` move to the
 * config's, under `key`-prefixed names, and its `$ref`s follow; references that point outside it
 * (and `$id`, `$schema`, `$dynamicRef`) are dropped, which only loosens it.
 *
 * @param schema The params schema, as the plugin's manifest describes it.
 * @param key The name it gets in the config schema's `$defs`.
 * @returns The schema, and the `$defs` entries to add (itself under `key` among them).
 */
export function liftParamsSchema(
  schema: Record<string, unknown>,
  key: string,
): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "$schema" || k === "$id" || k === "$dynamicRef" || k === "$anchor") continue;
      if (k === "$ref") {
        const ref = refInto(v, key);
        if (ref) out.$ref = ref;
      } else if (k === "$defs" && node === schema && isObject(v)) {
        for (const [name, d] of Object.entries(v)) {
          defs[`${key}.${name}`] = rewrite(d) as JsonSchema;
        }
      } else out[k] = rewrite(v);
    }
    return out;
  };
  defs[key] = rewrite(schema) as JsonSchema;
  return defs;
}

/** Where a `$ref` of a lifted schema points now, or undefined when it points outside it. */
function refInto(ref: unknown, key: string): string | undefined {
  if (typeof ref !== "string") return undefined;
  if (ref === "#") return `#/$defs/${key}`;
  const def = /^#\/\$defs\/([^/]+)(\/.*)?$/.exec(ref);
  if (def) return `#/$defs/${key}.${def[1]}${def[2] ?? ""}`;
  if (ref.startsWith("#/")) return `#/$defs/${key}${ref.slice(1)}`;
  return undefined;
}
