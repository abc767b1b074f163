import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory of otai's own package when it runs from files (a checkout or an unpacked
 * package), else undefined (run from a registry, its code lives in Deno's cache).
 */
export const OTAI_ROOT: string | undefined = new URL("../", import.meta.url).protocol === "file:"
  ? fileURLToPath(new URL("../", import.meta.url))
  : undefined;

/** Deno's module cache: `DENO_DIR`, else the cache directory Deno uses on this system. */
export function denoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return resolve(explicit);
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/";
  if (Deno.build.os === "darwin") return join(home, "Library", "Caches", "deno");
  if (Deno.build.os === "windows") {
    return join(Deno.env.get("LOCALAPPDATA") ?? join(home, "AppData", "Local"), "deno");
  }
  return join(Deno.env.get("XDG_CACHE_HOME") || join(home, ".cache"), "deno");
}

/**
 * The first of `names` found in `dir` or the folders above it, as Deno discovers its config
 * files; undefined when there is none (or no `dir`).
 */
export function nearestFile(dir: string | undefined, names: readonly string[]): string | undefined {
  for (; dir; dir = dirname(dir) === dir ? undefined : dirname(dir)) {
    for (const name of names) {
      try {
        if (Deno.statSync(join(dir, name)).isFile) return join(dir, name);
      } catch { /* not here */ }
    }
  }
  return undefined;
}
