import { fileURLToPath as fromFileUrl } from "node:url";
import { checkManifest, type ManifestInfo } from "../core/manifest.ts";
import type { PermissionSet } from "../core/contract.ts";
import type { ManifestDescription } from "./sandbox/protocol.ts";
import { InvalidManifestError, PluginSandbox } from "./sandbox/sandbox.ts";
import type { StartOptions } from "./sandbox/sandbox.ts";
import { VettedCache } from "./_vetted_cache.ts";

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
  options: ReadManifestOptions = {},
): Promise<ReadManifest> {
  const { integrity, ...rest } = options;
  if (!integrity) return await readInSandbox(url, rest);
  // The same code read the same way describes itself the same way: a warm start skips the
  // sandbox. Only valid manifests are kept. The working directory is not part of the key: code
  // with no permission cannot see it.
  const how = { ...rest, loadTimeoutMs: undefined, cwd: undefined };
  const key = await VettedCache.key([url, integrity, how], [DESCRIBE]);
  const cached = await manifests.get(key);
  if (cached) return cached;
  const read = await readInSandbox(url, rest);
  if (read.manifest) await manifests.set(key, read);
  return read;
}

/** Options for {@linkcode readManifest}. */
export type ReadManifestOptions = Omit<StartOptions, "url" | "permissions" | "env"> & {
  /** Hosts its code may be imported from. */
  importHosts?: string[];
  /** The hash of its vetted graph: with it, a manifest read before is used again. */
  integrity?: string;
};

const manifests = new VettedCache<ReadManifest>("manifests");
/** How a sandbox describes a manifest: a change to it changes every description. */
const DESCRIBE = new URL("./sandbox/guest/_describe_manifest.ts", import.meta.url).protocol ===
    "file:"
  ? fromFileUrl(new URL("./sandbox/guest/_describe_manifest.ts", import.meta.url))
  : "";

async function readInSandbox(
  url: string,
  options: Omit<ReadManifestOptions, "integrity">,
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
