import { createCelEnvironment } from "./cel.ts";

/** The variables an expression sees: `steps`, `params`, `env`, `runner`, and `item` in a loop. */
export type ExpressionScope = Record<string, unknown>;

/** A place in a value that is exactly one other step's data field: `${{ steps.a.data.items }}`. */
export interface FieldRef {
  /** Where in the value. */
  readonly path: readonly (string | number)[];
  /** The step id. */
  readonly step: string;
  /** The field of its data. */
  readonly field: string;
}

/** Options for {@linkcode CompiledValue.render}. */
export interface RenderOptions {
  /**
   * Field references to leave unevaluated: where this returns true, the rendered value holds
   * `null`, and the caller hands the field over by reference instead of by copy.
   */
  hold?: (ref: FieldRef) => boolean;
  /**
   * Whole-string templates to leave unevaluated, by source: where this returns true, the
   * rendered value holds `null`, and the caller fills it in later.
   */
  omit?: (source: string) => boolean;
}

/** One `${{ expr }}` in a compiled value. */
export interface TemplateExpression {
  /** Where in the value. */
  readonly path: readonly (string | number)[];
  /** The CEL source. */
  readonly source: string;
  /** True when the string at `path` is exactly this template (its value keeps its type). */
  readonly whole: boolean;
}

/** A compiled config value: static data, or data rendered from expressions at step time. */
export interface CompiledValue {
  /** Every expression in it, with where it sits. */
  readonly expressions: readonly TemplateExpression[];
  /** True when the value holds no expression, so `render` always returns the same data. */
  readonly isStatic: boolean;
  /** Produces the value for a scope. */
  render(scope: ExpressionScope, options?: RenderOptions): unknown;
  /** The places that are exactly one other step's data field. */
  readonly fieldRefs: readonly FieldRef[];
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;
const STEP_FIELD = /^\s*steps\.([A-Za-z_][A-Za-z0-9_]*)\.data\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const cel = createCelEnvironment({ unlistedVariablesAreDyn: true });
/** Compiled sources: a config compiles each distinct expression once, however often it is used. */
const compiled = new Map<string, (scope: ExpressionScope) => unknown>();
const MAX_COMPILED = 10_000;

/**
 * Compiles a CEL expression once; evaluating it costs well under a microsecond.
 *
 * @param source The CEL source.
 * @returns A function from scope to value (CEL ints come back as numbers).
 * @throws {SyntaxError} When the source is not valid CEL, with the position in the expression.
 *
 * @example
 * ```ts
 * import { compileExpression } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const f = compileExpression('steps.a.status == "succeeded"');
 * strictEqual(f({ steps: { a: { status: "succeeded" } } }), true);
 * ```
 */
export function compileExpression(source: string): (scope: ExpressionScope) => unknown {
  let evaluate = compiled.get(source);
  if (!evaluate) {
    evaluate = compile(source);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(source, evaluate);
  }
  return evaluate;
}

function compile(source: string): (scope: ExpressionScope) => unknown {
  let fn: (scope: ExpressionScope) => unknown;
  try {
    fn = cel.parse(source.trim()) as (scope: ExpressionScope) => unknown;
  } catch (e) {
    throw new SyntaxError(`invalid expression "${source.trim()}": ${firstLine(e)}`);
  }
  return (scope) => {
    try {
      return fromCel(fn(scope));
    } catch (e) {
      throw new EvalError(`cannot evaluate "${source.trim()}": ${firstLine(e)}`);
    }
  };
}

/**
 * Compiles an `if:` condition, which must yield a boolean.
 *
 * @param source The CEL source.
 * @returns A predicate over a scope.
 * @throws {SyntaxError} When the source is not valid CEL.
 *
 * @example
 * ```ts
 * import { compileCondition } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(compileCondition("item > 2")({ item: 3 }), true);
 * ```
 */
export function compileCondition(source: string): (scope: ExpressionScope) => boolean {
  const fn = compileExpression(source);
  return (scope) => {
    const v = fn(scope);
    if (typeof v !== "boolean") {
      throw new TypeError(`condition "${source.trim()}" yielded ${describe(v)}, not a boolean`);
    }
    return v;
  };
}

/**
 * Compiles a config value that may hold `${{ expr }}` templates, at any depth. A string that is
 * exactly one template yields the expression's typed value; otherwise results are interpolated
 * as text.
 *
 * @param value Plain config data.
 * @returns The compiled value.
 * @throws {SyntaxError} When an expression is not valid CEL.
 *
 * @example
 * ```ts
 * import { compileValue } from "@otai/cli";
 * import { deepStrictEqual } from "node:assert/strict";
 * const v = compileValue({ n: "${{ item }}", text: "item ${{ item }}!" });
 * deepStrictEqual(v.render({ item: 7 }), { n: 7, text: "item 7!" });
 * ```
 */
export function compileValue(value: unknown): CompiledValue {
  if (typeof value === "string") return compileString(value);
  if (Array.isArray(value)) {
    const parts = value.map(compileValue);
    if (parts.every((p) => p.isStatic)) return constant(value);
    return {
      isStatic: false,
      render: (s, o) => parts.map((p) => p.render(s, o)),
      fieldRefs: parts.flatMap((p, i) => p.fieldRefs.map((r) => ({ ...r, path: [i, ...r.path] }))),
      expressions: parts.flatMap((p, i) =>
        p.expressions.map((x) => ({ ...x, path: [i, ...x.path] }))
      ),
    };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v)] as const);
    if (entries.every(([, p]) => p.isStatic)) return constant(value);
    return {
      isStatic: false,
      render(s, o) {
        // fromEntries defines keys, so a key like "__proto__" stays a plain key.
        return Object.fromEntries(entries.map(([k, p]) => [k, p.render(s, o)]));
      },
      fieldRefs: entries.flatMap(([k, p]) =>
        p.fieldRefs.map((r) => ({ ...r, path: [k, ...r.path] }))
      ),
      expressions: entries.flatMap(([k, p]) =>
        p.expressions.map((x) => ({ ...x, path: [k, ...x.path] }))
      ),
    };
  }
  return constant(value);
}

/** Every `${{ expr }}` source in a string, for checks that need them one by one. */
export function templateSources(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => m[1]!);
}

function compileString(text: string): CompiledValue {
  const matches = [...text.matchAll(TEMPLATE)];
  if (matches.length === 0) return constant(text);
  if (matches.length === 1 && matches[0]![0] === text.trim()) {
    const source = matches[0]![1]!;
    const fn = compileExpression(source);
    const match = STEP_FIELD.exec(source);
    const expressions = [{ path: [], source, whole: true }];
    if (!match) {
      return {
        isStatic: false,
        render: (s, o) => (o?.omit?.(source) ? null : fn(s)),
        fieldRefs: [],
        expressions,
      };
    }
    const ref: FieldRef = { path: [], step: match[1]!, field: match[2]! };
    return {
      isStatic: false,
      fieldRefs: [ref],
      expressions,
      render: (s, o) => (o?.hold?.(ref) || o?.omit?.(source) ? null : fn(s)),
    };
  }
  const pieces: (string | ((s: ExpressionScope) => unknown))[] = [];
  let last = 0;
  for (const m of matches) {
    pieces.push(text.slice(last, m.index), compileExpression(m[1]!));
    last = m.index + m[0].length;
  }
  pieces.push(text.slice(last));
  return {
    isStatic: false,
    fieldRefs: [],
    expressions: matches.map((m) => ({ path: [], source: m[1]!, whole: false })),
    render(s) {
      let out = "";
      for (const p of pieces) out += typeof p === "string" ? p : asText(p(s));
      return out;
    },
  };
}

function constant(value: unknown): CompiledValue {
  return { isStatic: true, render: () => value, fieldRefs: [], expressions: [] };
}

function asText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
}

function fromCel(v: unknown): unknown {
  if (typeof v === "bigint") {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = fromCel(x);
    return out;
  }
  if (Array.isArray(v) && v.some((x) => typeof x === "bigint" || x instanceof Map)) {
    return v.map(fromCel);
  }
  return v;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : `${typeof v} ${JSON.stringify(v)}`;
}
