/**
 * CEL conditions over `item` and `index`, compiled once per distinct source.
 *
 * @module
 */
import { createCelEnvironment } from "@otai/cli/cel";

/** A compiled condition: true keeps the item. */
export type Where = (item: unknown, index: number) => boolean;

const MAX_CACHED = 256;
const cache = new Map<string, Where>();

// otai's environment, in which numbers from JSON (CEL doubles) mix with ints like `index` in
// arithmetic as they do in comparisons, so `item.count + 1 > 3` works as one expects.
const cel = createCelEnvironment({ variables: { item: "dyn", index: "int" } });

/**
 * Compiles a CEL condition over `item` (any value) and `index` (its position, an int). The
 * result is cached, so a step that runs many times compiles its expression once.
 *
 * @param source The CEL source, e.g. `item.queue == "Inbox"`.
 * @returns The condition.
 * @throws {SyntaxError} When the source is not valid CEL, uses other variables or unknown
 * functions, or cannot yield a bool; the message holds CEL's reason and the column.
 *
 * @example
 * ```ts
 * import { compileWhere } from "./_where.ts";
 * import { strictEqual } from "node:assert/strict";
 * const where = compileWhere('item.queue == "Inbox" && index % 2 == 0');
 * strictEqual(where({ queue: "Inbox" }, 2), true);
 * strictEqual(where({ queue: "Inbox" }, 1), false);
 * ```
 */
export function compileWhere(source: string): Where {
  let where = cache.get(source);
  if (!where) {
    where = compile(source);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(source, where);
  }
  return where;
}

function compile(source: string): Where {
  let fn;
  try {
    fn = cel.parse(source);
  } catch (e) {
    throw new SyntaxError(`Cannot compile where "${source}": ${reason(e)}`);
  }
  const checked = fn.check();
  if (!checked.valid) {
    throw new SyntaxError(
      `Cannot compile where "${source}": ${reason(checked.error)}; use item and index only`,
    );
  }
  if (checked.type !== "bool" && checked.type !== "dyn") {
    throw new SyntaxError(
      `Cannot compile where "${source}": it yields ${checked.type}, not a bool; write a ` +
        'condition like item.queue == "Inbox"',
    );
  }
  return (item, index) => {
    let value: unknown;
    try {
      value = fn({ item, index: BigInt(index) });
    } catch (e) {
      throw new EvalError(`Cannot evaluate where "${source}" for item ${index}: ${reason(e)}`);
    }
    if (typeof value !== "boolean") {
      throw new TypeError(
        `Cannot evaluate where "${source}" for item ${index}: it yielded ${
          typeof value === "bigint" ? "an int" : JSON.stringify(value) ?? typeof value
        }, not a bool; write a condition like item.queue == "Inbox"`,
      );
    }
    return value;
  };
}

/** CEL's message without its source excerpt, with the column the excerpt points at. */
function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const [first = "", , line, caret] = message.split("\n");
  const bar = line?.indexOf("| ") ?? -1;
  const at = caret?.indexOf("^") ?? -1;
  return bar >= 0 && at > bar + 1 ? `${first} (column ${at - bar - 1})` : first;
}
