import { checkManifest, type ManifestInfo } from "../core/manifest.ts";
import type { PermissionSet } from "../core/contract.ts";
import type { ManifestDescription } from "./sandbox/protocol.ts";
import { InvalidManifestError, PluginSandbox } from "./sandbox/sandbox.ts";
import type { StartOptions } from "./sandbox/sandbox.ts";

/** Sandbox permissions that grant nothing. */
export const NO_PERMISSIONS: PermissionSet = {
  net: false,
  read: false,
  write: false,
  env: false,
  run: false,
  sys: false,
  ffi: false,
  import: false,
};

/** A plugin's manifest as read with no permissions: as declared, checked, and what is wrong. */
export interface ReadManifest {
  /** The manifest as the plugin declared it. */
  description: ManifestDescription;
  /** The checked manifest, when it has no problems. */
  manifest?: ManifestInfo;
  /** What is wrong with it; empty when it is valid. */
  problems: string[];
}

/**
 * Evaluates a plugin module in a sandbox with no permissions at all and reads its manifest, so
 * that a plugin is checked (and refused) before any of its code holds a permission. The sandbox
 * is of the plugin's own isolation mode and limits, so its top-level code is confined alike.
 *
 * @param url The module to import.
 * @returns The manifest, checked.
 * @throws {Error} When the module fails to load, or has no default export to describe.
 */
export async function readManifest(
  url: string,
  options: Omit<StartOptions, "url" | "permissions" | "env"> & { importHosts?: string[] } = {},
): Promise<ReadManifest> {
  let description: ManifestDescription;
  let problems: string[] = [];
  const { importHosts = [], ...start } = options;
  // Nothing but importing its own, already vetted and cached, code from where it came.
  const permissions = { ...NO_PERMISSIONS, import: importHosts.length ? importHosts : false };
  try {
    const inspected = await PluginSandbox.start({ ...start, url, permissions });
    inspected.sandbox.terminate();
    description = inspected.manifest;
  } catch (e) {
    if (!(e instanceof InvalidManifestError) || !e.manifest) throw e;
    description = e.manifest;
    problems = e.problems;
  }
  const checked = checkManifest(description as unknown as Record<string, unknown>);
  if ("problems" in checked) return { description, problems: [...checked.problems, ...problems] };
  if (problems.length) return { description, problems };
  return { description, manifest: checked.manifest, problems };
}
