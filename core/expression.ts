import { Environment } from "@marcbachmann/cel-js";
import { rawField, RawJson } from "./raw_json.ts";

/** The variables an expression sees: `steps`, `params`, `env`, `runner`, and `item` in a loop. */
export type ExpressionScope = Record<string, unknown>;

/** A compiled config value: static data, or data rendered from expressions at step time. */
export interface CompiledValue {
  /** True when the value holds no expression, so `render` always returns the same data. */
  readonly isStatic: boolean;
  /** Produces the value for a scope. */
  render(scope: ExpressionScope): unknown;
  /**
   * Where the value holds exactly `${{ steps.<id>.data.<field> }}`: there `render` may yield a
   * {@linkcode RawJson} (the field still as JSON text) instead of the parsed field.
   */
  readonly refs?: readonly (readonly (string | number)[])[];
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;
const STEP_FIELD = /^\s*steps\.([A-Za-z_][A-Za-z0-9_]*)\.data\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const cel = new Environment({
  unlistedVariablesAreDyn: true,
  homogeneousAggregateLiterals: false,
  enableOptionalTypes: true,
});
// Numbers from YAML and JSON are doubles in CEL while literals like 2 are ints; let them mix in
// arithmetic as they do in comparisons, so `params.limit + 2` works as an admin expects.
for (const op of ["+", "-", "*", "/"] as const) {
  const apply = (a: number, b: number) =>
    op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
  cel.registerOperator(`double ${op} int`, (a: number, b: bigint) => apply(a, Number(b)));
  cel.registerOperator(`int ${op} double`, (a: bigint, b: number) => apply(Number(a), b));
}

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
      render: (s) => parts.map((p) => p.render(s)),
      refs: parts.flatMap((p, i) => (p.refs ?? []).map((r) => [i, ...r])),
    };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v)] as const);
    if (entries.every(([, p]) => p.isStatic)) return constant(value);
    return {
      isStatic: false,
      render(s) {
        // fromEntries defines keys, so a key like "__proto__" stays a plain key.
        return Object.fromEntries(entries.map(([k, p]) => [k, p.render(s)]));
      },
      refs: entries.flatMap(([k, p]) => (p.refs ?? []).map((r) => [k, ...r])),
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
    const ref = STEP_FIELD.exec(source);
    if (!ref) return { isStatic: false, render: fn };
    const [, id, field] = ref;
    return {
      isStatic: false,
      refs: [[]],
      render(s) {
        const data = (s.steps as Record<string, { data?: Record<string, unknown> }> | undefined)
          ?.[id!]?.data;
        const json = rawField(data, field!);
        return json === undefined ? fn(s) : new RawJson(json, data!, field!);
      },
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
    render(s) {
      let out = "";
      for (const p of pieces) out += typeof p === "string" ? p : asText(p(s));
      return out;
    },
  };
}

function constant(value: unknown): CompiledValue {
  return { isStatic: true, render: () => value };
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
