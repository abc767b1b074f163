/**
 * Sets `value` at `path` inside `root`, as an own property (so a key like `__proto__` stays a
 * plain key), and returns the root (`value` itself for an empty path). Used on both sides of
 * the boundary to put a param handed over by reference in its place.
 */
export function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  Object.defineProperty(parent, path.at(-1)!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return root;
}
