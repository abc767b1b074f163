/**
 * Sets `value` at `path` inside `root`, as an own property (so a key like `__proto__` stays a
 * plain key), and returns the root (`value` itself for an empty path). Used on both sides of
 * the boundary to put a param handed over by reference in its place.
 */
export function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  let parent = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    parent = parent[path[i]!] as Record<string | number, unknown>;
  }
  const key = path[path.length - 1]!;
  if (key !== "__proto__" && Object.hasOwn(parent, key)) parent[key] = value;
  else {
    Object.defineProperty(parent, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return root;
}
