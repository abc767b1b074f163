/** One locked plugin. */
export interface LockEntry {
  /** The specifier to load: for `jsr:` plugins, with the exact version. */
  resolved: string;
  /** The exact version of a `jsr:` plugin. */
  version?: string;
  /** The JSR package it is (`@scope/name`), for a `jsr:` plugin. */
  package?: string;
  /** `sha256-<hex>` over what identifies its code (see `modules`). */
  integrity: string;
  /**
   * Each module's `sha256-<hex>` by its path inside its package (`jsr:@scope/name@1.2.3/mod.ts`)
   * or below the plugin's root (`./mod.ts`), else its URL; npm packages as `npm <name> <id>`.
   * The same code served from another host or port matches; a refusal names what changed.
   * Absent in locks written by an older otai (then `integrity` is checked alone).
   */
  modules?: Record<string, string>;
}

/** The contents of `otai.lock`: exact versions and hashes of remote plugins, by `from:`. */
export interface Lockfile {
  /** Format version, 1. */
  version: 1;
  /** Entries by the config's `from:` value. */
  plugins: Record<string, LockEntry>;
}

/** The lock file path for a config: `otai.lock` beside it. */
export function lockPathFor(baseUrl: URL): URL {
  return new URL("otai.lock", baseUrl);
}

/**
 * Reads `otai.lock`.
 *
 * @returns The lock, or undefined when there is none.
 * @throws {Error} When the file exists but is not a lock this otai can read.
 */
export async function readLockfile(path: URL): Promise<Lockfile | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  let data: Lockfile;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `Cannot read ${path.pathname}: ${(e as Error).message}; delete it and run "otai lock"`,
    );
  }
  if (data?.version !== 1 || typeof data.plugins !== "object" || data.plugins === null) {
    throw new Error(`Cannot read ${path.pathname}: not an otai lock file (version 1)`);
  }
  return data;
}

/** Writes `otai.lock`, entries sorted so that diffs stay small. */
export async function writeLockfile(path: URL, lock: Lockfile): Promise<void> {
  const plugins = Object.fromEntries(
    Object.entries(lock.plugins).sort(([a], [b]) => a.localeCompare(b)),
  );
  await Deno.writeTextFile(path, JSON.stringify({ version: 1, plugins }, null, 2) + "\n");
}
