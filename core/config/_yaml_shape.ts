/**
 * Checks of a parsed config's shape that must come before it is turned into data, each in time
 * linear in the size of the document and without recursion (so no input can overflow the
 * stack): nesting depth, aliases that contain themselves, and duplicate keys.
 *
 * @module
 */
import { isAlias, isCollection, isMap, isPair, isScalar } from "yaml";
import type { Document, Node } from "yaml";

/** How deep a config may nest mappings and lists (inside params too). */
export const MAX_DEPTH = 64;

/** A problem with the document's shape, at a byte offset of the text. */
export interface ShapeProblem {
  /** Where in the text. */
  offset: number;
  /** What is wrong and what to do. */
  message: string;
}

/**
 * Walks the document once: a node nested deeper than {@linkcode MAX_DEPTH}, an alias inside
 * the node its anchor names (a cycle), and a mapping key given twice are each reported, with
 * the place they are at.
 *
 * @param doc The parsed document.
 * @returns The problems found, in document order (at most one for too deep a nesting).
 *
 * @example
 * ```ts
 * import { parseDocument } from "yaml";
 * import { shapeProblems } from "./_yaml_shape.ts";
 * import { match } from "node:assert/strict";
 * const [p] = shapeProblems(parseDocument("a: &x { b: *x }\n", { uniqueKeys: false }));
 * match(p!.message, /cyclic alias/);
 * ```
 */
export function shapeProblems(doc: Document): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  // An explicit stack: each entry is a node and its depth; `open` holds the collections on the
  // way down to the node being looked at, so an alias can be checked against its ancestors.
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  const open: unknown[] = [];
  let tooDeep = false;
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    open.length = depth;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target && open.includes(target)) {
        problems.push({
          offset: node.range?.[0] ?? 0,
          message: `cyclic alias: *${node.source} stands inside the value its anchor ` +
            `&${node.source} names, so the value would contain itself; write the values out`,
        });
      }
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth >= MAX_DEPTH) {
      if (!tooDeep) {
        problems.push({ offset: node.range?.[0] ?? 0, message: tooDeepMessage() });
        tooDeep = true;
      }
      continue;
    }
    open.push(node);
    if (isMap(node)) duplicateKeys(node.items, problems);
    const children: unknown[] = [];
    for (const item of node.items) {
      if (isPair(item)) children.push(item.key, item.value);
      else children.push(item);
    }
    for (let i = children.length - 1; i >= 0; i--) {
      if (children[i] != null) stack.push({ node: children[i], depth: depth + 1 });
    }
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

/** The message for a nesting beyond {@linkcode MAX_DEPTH}. */
export function tooDeepMessage(): string {
  return `nested more than ${MAX_DEPTH} levels deep (mappings and lists inside each other); ` +
    "flatten the data, or read it from a file in a step";
}

function duplicateKeys(pairs: unknown[], problems: ShapeProblem[]): void {
  const seen = new Map<string, Node>();
  for (const pair of pairs) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = pair.key;
    const id = `${typeof key.value}:${String(key.value)}`;
    const first = seen.get(id);
    if (!first) {
      seen.set(id, key);
      continue;
    }
    problems.push({
      offset: key.range?.[0] ?? 0,
      message: `duplicate key "${String(key.value).slice(0, 80)}": it is given twice in ` +
        "this mapping; keep one",
    });
  }
}

/**
 * How deep plain data nests, without recursion; stops counting once past `limit`.
 *
 * @param data The data.
 * @param limit The depth past which to stop.
 * @returns The path (keys and indexes) to the first value nested deeper than `limit`, or
 * undefined when there is none.
 *
 * @example
 * ```ts
 * import { tooDeepAt } from "./_yaml_shape.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(tooDeepAt({ a: [[1]] }, 2), ["a", 0]);
 * deepStrictEqual(tooDeepAt({ a: [1] }, 2), undefined);
 * ```
 */
export function tooDeepAt(data: unknown, limit: number): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (path.length >= limit) return path;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
    }
  }
  return undefined;
}
