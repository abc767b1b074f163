import type { InjectableKind, Isolation, PermissionSet, PluginRuntime } from "./contract.ts";
import type { ManifestInfo } from "./manifest.ts";
import { closest } from "./_suggest.ts";

/** Where a plugin's code came from. */
export interface PluginSource {
  /** The config's `from:`, resolved to a URL for local files. */
  specifier: string;
  /** What the sandbox imports: for `jsr:` plugins with the exact version. */
  resolved?: string;
  /** The root module's URL after redirects. */
  url?: string;
  /** The exact version of a `jsr:` plugin. */
  version?: string;
  /** `sha256-<hex>` of the whole module graph (remote plugins). */
  integrity?: string;
}

/** A loaded plugin. */
export interface PluginHandle {
  /** Registry prefix (`as:` or the manifest name). */
  prefix: string;
  /** Its index under `plugins:` in the config. */
  index: number;
  /** The module URL or specifier the sandbox imported. */
  url: string;
  /** Where its code came from. */
  source: PluginSource;
  /** The checked manifest. */
  manifest: ManifestInfo;
  /** What it runs with. */
  effective: PermissionSet;
  /** How its code is confined. */
  isolation: Isolation;
  /** Its running code. */
  runtime: PluginRuntime;
}

/** One registered pipe or service. */
export interface RegistryEntry {
  /** `prefix:Name`. */
  key: string;
  /** Pipe or service. */
  kind: InjectableKind;
  /** The name inside the plugin. */
  name: string;
  /** The plugin that provides it. */
  plugin: PluginHandle;
}

/**
 * The injectables of all loaded plugins, by `prefix:Name`.
 *
 * @example
 * ```ts
 * import { Registry } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const r = new Registry();
 * strictEqual(r.describeUnknown("hello:Gret"), 'nothing is registered as "hello:Gret"; no plugin registered anything');
 * ```
 */
export class Registry {
  #entries = new Map<string, RegistryEntry>();
  #prefixes = new Map<string, PluginHandle>();

  /** The plugin that holds a prefix, if any. */
  pluginOf(prefix: string): PluginHandle | undefined {
    return this.#prefixes.get(prefix);
  }

  /** Every loaded plugin. */
  plugins(): PluginHandle[] {
    return [...this.#prefixes.values()];
  }

  /**
   * Registers a plugin's injectables under its prefix.
   *
   * @throws {Error} When the prefix is taken; the message names both plugins.
   */
  add(plugin: PluginHandle): void {
    const other = this.#prefixes.get(plugin.prefix);
    if (other) {
      throw new Error(
        `prefix "${plugin.prefix}" is already used by plugins[${other.index}] (${other.url}); ` +
          `give one of them another prefix with "as:"`,
      );
    }
    this.#prefixes.set(plugin.prefix, plugin);
    for (const i of plugin.manifest.injectables) {
      const key = `${plugin.prefix}:${i.name}`;
      this.#entries.set(key, { key, kind: i.kind, name: i.name, plugin });
    }
  }

  /** The entry for `prefix:Name`. */
  get(key: string): RegistryEntry | undefined {
    return this.#entries.get(key);
  }

  /** All keys of one kind. */
  keys(kind?: InjectableKind): string[] {
    return [...this.#entries.values()].filter((e) => !kind || e.kind === kind).map((e) => e.key);
  }

  /** A message for an unknown key: the nearest match and what is registered. */
  describeUnknown(key: string, kind?: InjectableKind): string {
    const keys = this.keys(kind);
    const near = closest(key, keys);
    return `nothing is registered as "${key}"` +
      (near ? `; did you mean "${near}"?` : "") +
      (keys.length
        ? `; registered ${kind ?? "injectable"}s: ${keys.join(", ")}`
        : "; no plugin registered anything");
  }
}
