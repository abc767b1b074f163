/**
 * The CEL environment otai evaluates expressions in, shared by config expressions and plugins
 * that take CEL from their users (such as a filter condition), so both read numbers alike.
 *
 * @module
 */
import { Environment } from "@marcbachmann/cel-js";

/** A compiled CEL expression: call it with the variables to evaluate it. */
export interface CelProgram {
  /** Evaluates the expression; CEL ints come back as `bigint`, maps as `Map`. */
  (variables?: Record<string, unknown>): unknown;
  /** Type-checks the expression against the environment's variables. */
  check(): { valid: boolean; type?: string; error?: Error };
}

/** Where CEL expressions are compiled. */
export interface CelEnvironment {
  /**
   * Compiles an expression.
   *
   * @throws {Error} When it is not valid CEL; the message shows where.
   */
  parse(source: string): CelProgram;
}

/** Options for {@linkcode createCelEnvironment}. */
export interface CelEnvironmentOptions {
  /** Variables the expressions may use, with their CEL types (`dyn`, `int`, `string`, ...). */
  variables?: Record<string, string>;
  /** Treat any other variable as `dyn` instead of refusing it (default false). */
  unlistedVariablesAreDyn?: boolean;
}

/**
 * Creates a CEL environment in which numbers from YAML and JSON (CEL doubles) mix with integer
 * literals in arithmetic, as they do in comparisons: `params.limit + 2` works as one expects.
 *
 * @param options The variables it knows.
 * @returns The environment; compile with its `parse(source)`.
 *
 * @example
 * ```ts
 * import { createCelEnvironment } from "@otai/cli/cel";
 * import { strictEqual } from "node:assert/strict";
 * const cel = createCelEnvironment({ variables: { item: "dyn" } });
 * strictEqual(cel.parse("item.count + 1")({ item: { count: 2.5 } }), 3.5);
 * ```
 */
export function createCelEnvironment(options: CelEnvironmentOptions = {}): CelEnvironment {
  const cel = new Environment({
    unlistedVariablesAreDyn: options.unlistedVariablesAreDyn ?? false,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  });
  for (const [name, type] of Object.entries(options.variables ?? {})) {
    cel.registerVariable(name, type);
  }
  for (const op of ["+", "-", "*", "/"] as const) {
    cel.registerOperator(`double ${op} int`, (a: number, b: bigint) => apply(op, a, Number(b)));
    cel.registerOperator(`int ${op} double`, (a: bigint, b: number) => apply(op, Number(a), b));
  }
  return cel as unknown as CelEnvironment;
}

function apply(op: "+" | "-" | "*" | "/", a: number, b: number): number {
  return op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
}
