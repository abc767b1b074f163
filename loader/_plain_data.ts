/** Why a value cannot cross a sandbox boundary, or undefined when it can. */
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
 * @returns A problem, or undefined when the value is plain data within the limit.
 */
export function checkPlainData(
  value: unknown,
  maxBytes: number,
  root = "data",
): PlainDataProblem | undefined {
  let bytes = 0;
  const stack: [unknown, string][] = [[value, root]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, path] = stack.pop()!;
    switch (typeof v) {
      case "string":
        bytes += v.length + 2;
        break;
      case "number":
        if (!Number.isFinite(v)) return { path, message: `${v} is not a finite number` };
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
        if (seen.has(v)) return { path, message: "the value refers to itself (a cycle)" };
        seen.add(v);
        if (Array.isArray(v)) {
          bytes += 2 + v.length;
          for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
          break;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
          const name = proto?.constructor?.name ?? "an object with a prototype";
          const hint = name === "Date"
            ? "; return date.toISOString()"
            : name === "Map"
            ? "; return Object.fromEntries(map)"
            : "; return a plain object with the fields you need";
          return { path, message: `is a ${name}, not plain data${hint}` };
        }
        for (const key of Object.keys(v)) {
          const d = Object.getOwnPropertyDescriptor(v, key)!;
          if (d.get || d.set) {
            return { path: `${path}.${key}`, message: "is a getter; return the value itself" };
          }
          bytes += key.length + 4;
          stack.push([d.value, `${path}.${key}`]);
        }
        break;
      }
      default:
        return { path, message: `is a ${typeof v}, which cannot cross the sandbox boundary` };
    }
    if (bytes > maxBytes) {
      return {
        path: root,
        message: `is over the ${(maxBytes / 1e6).toFixed(0)} MB limit for one result; return ` +
          "less, or page through it",
      };
    }
  }
  return undefined;
}
