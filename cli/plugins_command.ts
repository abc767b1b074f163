import { escapeControl } from "./_text.ts";
import { describePermissions, pluginInfoText, pluginListText } from "./_output.ts";
import { readStatus } from "./_status_file.ts";
import { fetchConfigPlugins } from "./lock_config.ts";
import { inspectPlugin } from "./inspect_plugin.ts";
import { searchPlugins } from "./search_plugins.ts";
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

/**
 * `otai plugins search`: packages on JSR matching the words, each with the permissions its
 * latest version requests.
 *
 * @returns 0 (also when nothing matched).
 */
export async function pluginSearch(
  words: string,
  json: boolean,
  offline: boolean,
): Promise<number> {
  const hits = await searchPlugins(words, { offline });
  if (json) return print(JSON.stringify(hits, null, 2) + "\n", 0);
  if (!hits.length) return print(`no package on JSR matches "${escapeControl(words)}"\n`, 0);
  const lines = hits.map((h) => {
    const what = h.permissions
      ? `requests: ${describePermissions(h.permissions)}`
      : `(${h.problem ?? "not an otai plugin"})`;
    return [
      `${h.name}@${h.version}${h.description ? `: ${h.description}` : ""}`,
      `  ${what}`,
      `  try:      otai plugins info jsr:${h.name}@${h.version}`,
    ].map((l) => escapeControl(l)).join("\n");
  });
  return print(lines.join("\n") + "\n", 0);
}
