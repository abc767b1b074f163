/**
 * What vetting a plugin found, kept between runs so that a warm start skips the subprocesses:
 * a plugin's module graph (from `deno info`) and its manifest (read in a no-permission
 * sandbox). An entry is used only when every module of the graph still has the content it was
 * hashed with, so an edited file, a re-fetched module or a changed import map means the plugin
 * is vetted again. Entries live in Deno's cache directory, which no plugin may be granted write
 * access to.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { denoDir } from "./host_paths.ts";

/** Bump when what is cached changes shape or meaning. */
const VERSION = 1;

/** A cache of JSON values by key, in `<DENO_DIR>/otai/<kind>/`. */
export class VettedCache<T> {
  #dir: string;

  /** A cache for one kind of entry (`graphs`, `manifests`). */
  constructor(kind: string) {
    this.#dir = join(denoDir(), "otai", `${kind}-v${VERSION}`);
  }

  /** The key for `parts`, with the content of each existing file among `files`. */
  static async key(parts: unknown, files: readonly string[] = []): Promise<string> {
    const hash = createHash("sha256").update(JSON.stringify([parts, Deno.version.deno]));
    for (const f of files) {
      try {
        hash.update(`\n${f}\n`).update(await Deno.readFile(f));
      } catch {
        hash.update(`\n${f} (none)\n`);
      }
    }
    return hash.digest("hex");
  }

  /** The entry for `key`, if there is one. */
  async get(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await Deno.readTextFile(join(this.#dir, `${key}.json`))) as T;
    } catch {
      return undefined;
    }
  }

  /** Keeps `value` for `key` (written whole or not at all; a failure to write is ignored). */
  async set(key: string, value: T): Promise<void> {
    try {
      await Deno.mkdir(this.#dir, { recursive: true });
      const tmp = join(this.#dir, `${key}.${crypto.randomUUID()}.tmp`);
      await Deno.writeTextFile(tmp, JSON.stringify(value));
      await Deno.rename(tmp, join(this.#dir, `${key}.json`));
    } catch {
      // A read-only cache directory only costs the next start its speed.
    }
  }
}
