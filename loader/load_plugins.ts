import { isAbsolute, resolve } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { LoadedConfig } from "../core/config/load_config.ts";
import type { PluginEntry } from "../core/config/schema.ts";
import { pluginEntrySchema } from "../core/config/schema.ts";
import type { Diagnostic } from "../core/errors.ts";
import { checkManifest } from "../core/manifest.ts";
import { effectivePermissions, grantYaml, PERMISSION_NAMES } from "../core/permissions.ts";
import type { PluginHandle } from "../core/registry.ts";
import type { PermissionName, Permissions } from "../core/types.ts";
import {
  InvalidManifestError,
  PluginSandbox,
  type ServiceCall,
  type WorkerPermissions,
} from "./sandbox.ts";

/** Hooks from the host into every plugin sandbox. */
export interface LoadPluginsOptions {
  /** A record a plugin logged. */
  onLog?: (
    prefix: string,
    level: "debug" | "info" | "warning" | "error",
    message: string,
    props?: object,
  ) => void;
  /** A service call a plugin made. */
  onCall?: (call: ServiceCall) => Promise<unknown>;
}

const ENTRY_KEYS = ["from", "as", "permissions", "enabled"];

const NONE: WorkerPermissions = {
  net: false,
  read: false,
  write: false,
  env: false,
  run: false,
  sys: false,
  ffi: false,
  import: false,
};

/**
 * Loads every enabled plugin of a config: evaluates its module in a sandbox with no permissions
 * to read its manifest, checks the manifest and API range, computes its effective permissions
 * (request ∩ grant) and starts its sandbox under exactly those.
 *
 * @returns The loaded plugins, a diagnostic for each plugin that could not be loaded, and the
 * prefixes of those (so that steps using them are not reported twice).
 */
export async function loadPlugins(
  loaded: LoadedConfig,
  options: LoadPluginsOptions = {},
): Promise<{ plugins: PluginHandle[]; diagnostics: Diagnostic[]; failedPrefixes: Set<string> }> {
  const raw = (loaded.raw as { plugins?: unknown } | undefined)?.plugins;
  const entries = Array.isArray(raw) ? raw : [];
  const failedPrefixes = new Set<string>();
  const results = await Promise.all(entries.map(async (value, index) => {
    // Unknown keys are reported by the config check; load the plugin anyway so that the
    // steps using it can be checked too.
    const known = value && typeof value === "object"
      ? Object.fromEntries(Object.entries(value).filter(([k]) => ENTRY_KEYS.includes(k)))
      : value;
    const parsed = pluginEntrySchema.safeParse(known);
    if (!parsed.success || parsed.data.enabled === false) return undefined;
    try {
      return await loadOne(loaded, parsed.data, index, options);
    } catch (e) {
      const prefix = e instanceof LoadError ? e.prefix : parsed.data.as;
      if (prefix) failedPrefixes.add(prefix);
      const d: Diagnostic = {
        ...loaded.locate(["plugins", index, "from"]),
        path: `plugins[${index}]`,
        message: (e as Error).message,
      };
      return d;
    }
  }));
  const plugins: PluginHandle[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const r of results) {
    if (r && "runtime" in r) plugins.push(r);
    else if (r) diagnostics.push(r);
  }
  return { plugins, diagnostics, failedPrefixes };
}

async function loadOne(
  loaded: LoadedConfig,
  entry: PluginEntry,
  index: number,
  options: LoadPluginsOptions,
): Promise<PluginHandle> {
  const url = await resolveSpecifier(entry.from, loaded.baseUrl);
  let label = `plugin "${entry.as ?? entry.from}"`;
  let manifest;
  let problems: string[] = [];
  try {
    const inspected = await PluginSandbox.start({ url, permissions: NONE });
    inspected.sandbox.terminate();
    manifest = inspected.manifest;
  } catch (e) {
    if (!(e instanceof InvalidManifestError) || !e.manifest) {
      throw new LoadError(entry.as, `Cannot load ${label}: ${explainLoadError(e as Error)}`);
    }
    manifest = e.manifest;
    problems = e.problems;
  }
  const named = entry.as ?? (typeof manifest.name === "string" ? manifest.name : undefined);
  if (named) label = `plugin "${named}"`;
  const checked = checkManifest(manifest as unknown as Record<string, unknown>);
  if ("problems" in checked || problems.length) {
    const all = [...("problems" in checked ? checked.problems : []), ...problems];
    throw new LoadError(named, `Cannot load ${label}: its manifest is invalid: ${all.join("; ")}`);
  }
  const m = checked.manifest;
  const prefix = entry.as ?? m.name;
  const base = fromFileUrl(loaded.baseUrl);
  const request = absolutePaths(m.permissions ?? {}, base);
  const grant = absolutePaths(entry.permissions ?? {}, base);
  const { effective, missing } = effectivePermissions(request, grant);
  if (missing.length) {
    const where = loaded.locate(["plugins", index]);
    const what = missing.map((x) =>
      `${x.name} access${
        x.requested === true ? "" : ` to ${x.requested.map((v) => `"${v}"`).join(", ")}`
      }`
    ).join(", ");
    throw new LoadError(
      prefix,
      `Cannot load plugin "${m.name}": it requests ${what}, which ${where.file}:${where.line} ` +
        `does not grant; after review, grant it under plugins[${index}].permissions:\n` +
        `    permissions:\n${grantYaml(missing)}`,
    );
  }
  let sandbox: PluginSandbox;
  try {
    ({ sandbox } = await PluginSandbox.start({
      url,
      permissions: effective as WorkerPermissions,
      onLog: (level, message, props) => options.onLog?.(prefix, level, message, props),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    }));
  } catch (e) {
    throw new LoadError(prefix, `Cannot start plugin "${m.name}": ${explainLoadError(e as Error)}`);
  }
  return { prefix, index, url, manifest: m, effective, runtime: sandbox };
}

/**
 * Resolves a config's `from:` to a module URL: paths relative to the config file, `file:`,
 * `https:`, `http:` and `jsr:` specifiers.
 *
 * @throws {Error} When a local file does not exist.
 */
export async function resolveSpecifier(from: string, baseUrl: URL): Promise<string> {
  if (/^(https?|jsr|npm):/.test(from)) return from;
  const url = from.startsWith("file:") ? new URL(from) : new URL(from, baseUrl);
  try {
    await Deno.stat(url);
  } catch {
    throw new Error(
      `Cannot load plugin "${from}": no file at ${fromFileUrl(url)}; paths are relative to the ` +
        "config file",
    );
  }
  return url.href;
}

/** A plugin that could not be loaded, with the prefix it would have had when known. */
class LoadError extends Error {
  constructor(readonly prefix: string | undefined, message: string) {
    super(message);
  }
}

function absolutePaths(p: Permissions, base: string): Permissions {
  const out: Permissions = {};
  for (const name of PERMISSION_NAMES) {
    const v = p[name];
    if (v === undefined) continue;
    out[name] = Array.isArray(v) && isPathKind(name)
      ? v.map((x) => (isAbsolute(x) ? x : resolve(base, x)))
      : v;
  }
  return out;
}

function isPathKind(name: PermissionName): boolean {
  return name === "read" || name === "write";
}

function explainLoadError(e: Error): string {
  const message = e.message;
  if (/Requires \w+ access/.test(message)) {
    return `${message.replace(/, run again with.*$/, "")}: the module's top-level code ran with ` +
      "no permissions; move work that needs permissions into create() or run()";
  }
  return message;
}
