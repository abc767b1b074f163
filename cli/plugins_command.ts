import { escapeControl } from "./_text.ts";
import { pluginInfoText, pluginListText } from "./_output.ts";
import { readStatus } from "./_status_file.ts";
import { fetchConfigPlugins } from "./lock_config.ts";
import { inspectPlugin } from "./inspect_plugin.ts";
import { listPlugins } from "./list_plugins.ts";
import { print, secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";

/**
 * `otai lock` and `otai fetch`: fetch remote plugins, and with `lock` write otai.lock.
 *
 * @returns 0.
 */
export async function fetchPlugins(file: string, lock: boolean, offline: boolean): Promise<number> {
  const { plugins, lockFile } = await fetchConfigPlugins(file, { lock, offline });
  const lines = plugins.map((p) =>
    `${p.from} -> ${p.source.resolved ?? p.source.specifier}  ${p.source.integrity}  ` +
    `(${p.modules} modules, ${(p.bytes / 1024).toFixed(1)} KiB)`
  );
  if (!plugins.length) lines.push("no remote plugins in this config");
  if (lockFile) lines.push(`wrote ${lockFile.pathname}`);
  return print(lines.join("\n") + "\n", 0);
}

/**
 * `otai plugins info`: a plugin's manifest, read without granting it anything.
 *
 * @returns 0, or 2 when the manifest has problems.
 */
export async function pluginInfo(
  specifier: string,
  json: boolean,
  offline: boolean,
): Promise<number> {
  const info = await inspectPlugin(specifier, { offline });
  if (json) return print(JSON.stringify(info, null, 2) + "\n", info.problems.length ? 2 : 0);
  print(pluginInfoText(info), 0);
  return info.problems.length ? 2 : 0;
}

/**
 * `otai plugins list`: each configured plugin's status, permissions and source.
 *
 * @returns 0, or 2 when a plugin failed.
 */
export async function pluginList(file: string, json: boolean, modes: Modes): Promise<number> {
  const { statuses, diagnostics } = await listPlugins(file, modes);
  const failed = statuses.some((s) => s.status === "failed") || diagnostics.length > 0;
  if (json) {
    const doc = statuses.map(({ plugin, ...s }) => ({
      ...s,
      ...(plugin
        ? {
          prefix: plugin.prefix,
          version: plugin.manifest.version,
          permissions: plugin.effective,
          source: plugin.source,
        }
        : {}),
    }));
    return print(JSON.stringify(secrets.redactValue(doc), null, 2) + "\n", failed ? 2 : 0);
  }
  const text = pluginListText(secrets.redactValue(statuses), readStatus(file));
  print(escapeControl(secrets.redactText(text), { lines: true }), 0);
  return failed ? 2 : 0;
}
