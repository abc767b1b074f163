/** Why a value cannot cross a sandbox boundary. */
export interface PlainDataProblem {
  /** Where in the value, e.g. `data.items[3].at`. */
  path: string;
  /** What is wrong and what to return instead. */
  message: string;
}

/**
 * Checks that a value is plain data (what JSON can hold: objects, arrays, strings, finite
 * numbers, booleans, null) and at most `maxBytes` big (approximately, as JSON). Plain data
 * crosses every isolation mode the same way; anything else would be silently changed by one
 * transport or another.
 *
 * The walk runs on every result, so it builds no paths: only when it finds a problem does a
 * second, slower walk say where.
 *
 * @returns A problem, or undefined when the value is plain data within the limit.
 */
export function checkPlainData(
  value: unknown,
  maxBytes: number,
  root = "data",
): PlainDataProblem | undefined {
  const bad = firstProblem(value, maxBytes);
  if (bad === undefined) return undefined;
  if (bad === OVERSIZE) {
    return {
      path: root,
      message: `is over the ${(maxBytes / 1e6).toFixed(0)} MB limit for one result; return ` +
        "less, or page through it",
    };
  }
  return locate(value, root, bad, new Set()) ??
    { path: root, message: describe(bad) };
}

const OVERSIZE = Symbol("oversize");

/** The first offending value (or OVERSIZE), found without building paths. */
function firstProblem(value: unknown, maxBytes: number): unknown {
  let bytes = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  let shared = false;
  while (stack.length) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        bytes += v.length + 2;
        break;
      case "number":
        if (!Number.isFinite(v)) return v;
        bytes += 8;
        break;
      case "boolean":
      case "undefined":
        bytes += 4;
        break;
      case "object": {
        if (v === null) {
          bytes += 4;
          break;
        }
        if (seen.has(v)) {
          // Seen before: shared (fine, JSON writes it twice) or a cycle (checked at the end).
          shared = true;
          break;
        }
        seen.add(v);
        if (Array.isArray(v)) {
          bytes += 2 + v.length;
          for (let i = 0; i < v.length; i++) stack.push(v[i]);
          break;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) return v;
        for (const key in v) {
          bytes += key.length + 4;
          stack.push((v as Record<string, unknown>)[key]);
        }
        break;
      }
      default:
        return v;
    }
    if (bytes > maxBytes) return OVERSIZE;
  }
  return shared && hasCycle(value, new Set()) ? CYCLE : undefined;
}

function hasCycle(v: unknown, path: Set<object>): boolean {
  if (v === null || typeof v !== "object") return false;
  if (path.has(v)) return true;
  path.add(v);
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (hasCycle(x, path)) return true;
  path.delete(v);
  return false;
}

const CYCLE = Symbol("cycle");

/** Finds where `target` sits in `value`, and says what is wrong with it. */
function locate(
  value: unknown,
  path: string,
  target: unknown,
  seen: Set<object>,
): PlainDataProblem | undefined {
  if (target === CYCLE && value !== null && typeof value === "object" && seen.has(value)) {
    return { path, message: describe(CYCLE) };
  }
  if (target === CYCLE && value !== null && typeof value === "object") {
    // A cycle: report the first object that reaches back to one above it.
    const above = seen;
    above.add(value);
    for (const x of Array.isArray(value) ? value : Object.values(value)) {
      if (x !== null && typeof x === "object" && above.has(x)) {
        return { path, message: describe(CYCLE) };
      }
    }
    above.delete(value);
  }
  if (Object.is(value, target) && target !== CYCLE) return { path, message: describe(target) };
  if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
  seen.add(value);
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`${path}[${i}]`, v])
    : Object.keys(value).map((k) => [`${path}.${k}`, (value as Record<string, unknown>)[k]]);
  for (const [p, v] of entries) {
    const found = locate(v, p, target, seen);
    if (found) return found;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === CYCLE) return "refers to itself (a cycle)";
  if (typeof v === "number") return `${v} is not a finite number`;
  if (v !== null && typeof v === "object") {
    const name = Object.getPrototypeOf(v)?.constructor?.name ?? "an object with a prototype";
    const hint = name === "Date"
      ? "; return date.toISOString()"
      : name === "Map"
      ? "; return Object.fromEntries(map)"
      : "; return a plain object with the fields you need";
    return `is a ${name}, not plain data${hint}`;
  }
  return `is a ${typeof v}, which cannot cross the sandbox boundary`;
}
