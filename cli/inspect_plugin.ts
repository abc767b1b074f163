import semver from "semver";
import { API_VERSION } from "../core/api_version.ts";
import type { PluginSource } from "../core/registry.ts";
import type { ManifestDescription } from "../loader/sandbox/protocol.ts";
import { resolveSource, type SourceOptions } from "../loader/source/resolve_source.ts";
import { readManifest } from "../loader/read_manifest.ts";
import { sandboxModuleFlags } from "../loader/host_flags.ts";

/** What `otai plugins info` shows. */
export interface PluginInfo {
  /** Where the code came from, with its hash for remote plugins. */
  source: PluginSource;
  /** The manifest as the plugin declared it. */
  manifest: ManifestDescription;
  /** Whether this otai's API version satisfies the plugin's range. */
  apiSatisfied: boolean;
  /** Problems with the manifest; empty when it is valid. */
  problems: string[];
}

/**
 * Fetches a plugin and reads its manifest in a sandbox with no permissions at all, so nothing
 * is granted to code that has not been reviewed.
 *
 * @param specifier A path (relative to the working directory), URL or `jsr:` specifier.
 * @returns The manifest and source.
 * @throws {Error} When the plugin cannot be fetched or its module fails to load.
 */
export async function inspectPlugin(
  specifier: string,
  options: SourceOptions = {},
): Promise<PluginInfo> {
  const resolved = await resolveSource(
    { from: specifier },
    new URL(`file://${Deno.cwd()}/`),
    options,
  );
  // In a subprocess, as plugins run by default: no Worker flags needed, nothing shared.
  const { description: manifest, problems } = await readManifest(resolved.importSpecifier, {
    isolation: "process",
    denoArgs: sandboxModuleFlags(),
    importHosts: resolved.importHosts,
    ...(resolved.graph ? { integrity: resolved.graph.integrity } : {}),
  });
  const range = typeof manifest.api === "string" ? semver.validRange(manifest.api) : null;
  return {
    source: resolved.source,
    manifest,
    apiSatisfied: range !== null && semver.satisfies(API_VERSION, range),
    problems,
  };
}
