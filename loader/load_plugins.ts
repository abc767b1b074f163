import { isAbsolute, resolve } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { LoadedConfig } from "../core/config/load_config.ts";
import type { PluginEntry } from "../core/config/schema.ts";
import { pluginEntrySchema } from "../core/config/schema.ts";
import type { Diagnostic } from "../core/errors.ts";
import { checkManifest } from "../core/manifest.ts";
import { parseDuration } from "../core/duration.ts";
import { effectivePermissions, grantYaml, PERMISSION_NAMES } from "../core/permissions.ts";
import type { PluginHandle } from "../core/registry.ts";
import type { PermissionName, Permissions } from "../core/types.ts";
import {
  InvalidManifestError,
  PluginSandbox,
  type ServiceCall,
  type WorkerPermissions,
} from "./sandbox.ts";
import { SupervisedPlugin } from "./supervisor.ts";
import { sandboxModuleFlags } from "./_host_flags.ts";
import { resolveSource, type SourceOptions } from "./_resolve_source.ts";

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
  /** How remote plugins are fetched: lock, frozen, offline, limits. */
  source?: SourceOptions;
}

/** How loading one `plugins:` entry went, for `otai plugins list`. */
export interface PluginStatus {
  /** Its index under `plugins:`. */
  index: number;
  /** Its `from:`. */
  from: string;
  /** Loaded, failed, or disabled in the config. */
  status: "loaded" | "failed" | "disabled";
  /** Why it failed. */
  error?: string;
  /** The loaded plugin. */
  plugin?: PluginHandle;
}

const ENTRY_KEYS = [
  "from",
  "as",
  "permissions",
  "enabled",
  "integrity",
  "insecure",
  "isolation",
  "trusted",
  "limits",
];

/** Worker permissions that grant nothing. */
export const NO_PERMISSIONS: WorkerPermissions = {
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
): Promise<{
  plugins: PluginHandle[];
  diagnostics: Diagnostic[];
  failedPrefixes: Set<string>;
  statuses: PluginStatus[];
}> {
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
    const from = String((known as { from?: unknown })?.from ?? "");
    if (!parsed.success) {
      return { index, from, status: "failed", error: "invalid entry (see config errors)" } as const;
    }
    if (parsed.data.enabled === false) return { index, from, status: "disabled" } as const;
    try {
      const plugin = await loadOne(loaded, parsed.data, index, options);
      return { index, from, status: "loaded", plugin } as const;
    } catch (e) {
      const prefix = e instanceof LoadError ? e.prefix : parsed.data.as;
      failedPrefixes.add(prefix ?? ""); // "": a plugin whose prefix is unknown failed
      const diagnostic: Diagnostic = {
        ...loaded.locate(["plugins", index, "from"]),
        path: `plugins[${index}]`,
        message: (e as Error).message,
      };
      return { index, from, status: "failed", error: diagnostic.message, diagnostic } as const;
    }
  }));
  const plugins: PluginHandle[] = [];
  const diagnostics: Diagnostic[] = [];
  const statuses: PluginStatus[] = [];
  for (const r of results) {
    if ("plugin" in r && r.plugin) plugins.push(r.plugin);
    if ("diagnostic" in r && r.diagnostic) diagnostics.push(r.diagnostic);
    const { diagnostic: _, ...status } = { diagnostic: undefined, ...r };
    statuses.push(status as PluginStatus);
  }
  return { plugins, diagnostics, failedPrefixes, statuses };
}

async function loadOne(
  loaded: LoadedConfig,
  entry: PluginEntry,
  index: number,
  options: LoadPluginsOptions,
): Promise<PluginHandle> {
  let resolved;
  try {
    resolved = await resolveSource(entry, loaded.baseUrl, options.source);
  } catch (e) {
    throw new LoadError(entry.as, (e as Error).message);
  }
  const url = resolved.importSpecifier;
  let label = `plugin "${entry.as ?? entry.from}"`;
  let manifest;
  let problems: string[] = [];
  try {
    const inspected = await PluginSandbox.start({ url, permissions: NO_PERMISSIONS });
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
  if (resolved.importHosts.length) {
    const own = Array.isArray(effective.import) ? effective.import : [];
    effective.import = effective.import === true
      ? true
      : [...new Set([...own, ...resolved.importHosts])];
  }
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
  const isolation = entry.isolation ?? "worker";
  if (isolation === "none") {
    const beyond = beyondHost(effective as WorkerPermissions);
    if (entry.trusted !== true || beyond) {
      throw new LoadError(
        prefix,
        `Cannot load plugin "${m.name}" with isolation: none: ${
          beyond
            ? `it would get ${beyond}, which this otai process itself does not have`
            : "it is not marked trusted: true"
        }; use isolation: worker or process`,
      );
    }
  }
  let runtime: SupervisedPlugin;
  const killAfterMs = killAfter(loaded);
  try {
    ({ plugin: runtime } = await SupervisedPlugin.start({
      url,
      permissions: effective as WorkerPermissions,
      isolation,
      ...(entry.limits?.memory_mb ? { memoryMb: entry.limits.memory_mb } : {}),
      ...(entry.limits?.result_mb ? { maxResultBytes: entry.limits.result_mb * 1e6 } : {}),
      ...(killAfterMs ? { killAfterMs } : {}),
      denoArgs: sandboxModuleFlags(),
      ...(options.source?.cwd ? { cwd: options.source.cwd } : {}),
      onLog: (level, message, props) => options.onLog?.(prefix, level, message, props),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    }));
  } catch (e) {
    throw new LoadError(prefix, `Cannot start plugin "${m.name}": ${explainLoadError(e as Error)}`);
  }
  return {
    prefix,
    index,
    url,
    source: resolved.source,
    manifest: m,
    effective,
    isolation,
    runtime,
  };
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

function killAfter(loaded: LoadedConfig): number | undefined {
  const v = (loaded.raw as { defaults?: { kill_after?: unknown } } | undefined)?.defaults
    ?.kill_after;
  try {
    return typeof v === "string" || typeof v === "number" ? parseDuration(v) : undefined;
  } catch {
    return undefined;
  }
}

/** The first effective permission this process does not hold itself, if any. */
function beyondHost(p: WorkerPermissions): string | undefined {
  for (const [name, value] of Object.entries(p)) {
    if (value === false) continue;
    const descriptors = value === true
      ? [{ name }]
      : value.map((v) => ({ name, [KEY[name] ?? "path"]: v }));
    for (const d of descriptors) {
      const state = Deno.permissions.querySync(d as Deno.PermissionDescriptor).state;
      if (state !== "granted") {
        return `${name} access${value === true ? "" : ` to "${Object.values(d)[1]}"`}`;
      }
    }
  }
  return undefined;
}

const KEY: Record<string, string> = {
  net: "host",
  env: "variable",
  run: "command",
  sys: "kind",
  import: "host",
};

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
