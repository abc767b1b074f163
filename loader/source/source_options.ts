import type { CompiledConfig } from "../../core/config/compile_config.ts";
import { hostModuleFlags, STARTUP_CWD } from "../host_flags.ts";
import { type Lockfile, lockPathFor, readLockfile } from "./lockfile.ts";
import type { SourceOptions } from "./resolve_source.ts";

/**
 * How remote plugins of a config are fetched: its `fetch:` limits, its lock, the CLI's modes,
 * and this process's module resolution flags. A lock that cannot be read is reported among the
 * config's diagnostics.
 *
 * @param config The compiled config.
 * @param options The CLI's modes; `lock: false` ignores otai.lock.
 * @returns The options for {@linkcode resolveSource}.
 */
export async function sourceOptions(
  config: CompiledConfig,
  options: { offline?: boolean; frozen?: boolean; lock?: boolean } = {},
): Promise<SourceOptions> {
  const source: SourceOptions = {
    offline: options.offline === true,
    frozen: options.frozen === true,
    denoArgs: hostModuleFlags(),
    cwd: STARTUP_CWD,
  };
  if (config.fetch.timeoutMs !== undefined) source.timeoutMs = config.fetch.timeoutMs;
  if (config.fetch.maxBytes !== undefined) source.maxBytes = config.fetch.maxBytes;
  if (options.lock !== false) {
    const lock = await configLock(config);
    if (lock) source.lock = lock;
  }
  return source;
}

/**
 * The otai.lock beside a config, if there is one; a lock that cannot be read is reported among
 * the config's diagnostics (at its first line).
 */
export async function configLock(config: CompiledConfig): Promise<Lockfile | undefined> {
  try {
    return await readLockfile(lockPathFor(config.baseUrl));
  } catch (e) {
    config.diagnostics.push({
      file: config.file,
      line: 1,
      column: 1,
      path: "",
      message: (e as Error).message,
    });
    return undefined;
  }
}
