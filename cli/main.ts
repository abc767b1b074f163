import { parseArgs } from "node:util";
import { isLogLevel } from "@logtape/logtape";
import { API_VERSION } from "../core/api_version.ts";
import { ConfigError, formatDiagnostic } from "../core/errors.ts";
import { openConfig } from "../loader/open_config.ts";
import { redact, setupLogging } from "./_logging.ts";
import {
  checkReport,
  pluginInfoText,
  pluginListText,
  ProgressLine,
  reports,
  summaryTable,
} from "./_output.ts";
import type { Progress, RunnerResult } from "../core/engine/engine.ts";
import { readStatus, writeStatus } from "./_status_file.ts";
import { fetchConfigPlugins } from "./lock_config.ts";
import { inspectPlugin } from "./inspect_plugin.ts";
import { listPlugins } from "./list_plugins.ts";
import { reexecWithWorkerOptions } from "./_reexec.ts";
import denoJson from "../deno.json" with { type: "json" };

const HELP = `otai ${denoJson.version}: ticket automation with sandboxed plugins

Usage:
  otai [run] <config.yml> [options]   load the plugins, run every runner
  otai check <config.yml> [options]   load and check everything, run nothing
  otai lock <config.yml>              resolve remote plugins, write otai.lock beside the config
  otai fetch <config.yml>             fetch remote plugins into the cache (for offline hosts)
  otai plugins list <config.yml>      each plugin: status, effective permissions, source
  otai plugins info <specifier>       a plugin's manifest, fetched without granting it anything
  otai --help | --version

Options:
  --json                print the results document (run) or report (check) as JSON on stdout
  --offline             use cached plugins only; never reach the network
  --frozen              refuse remote plugins that otai.lock does not list
  --log-level <level>   trace, debug, info, warning, error, fatal (default: info)
  --log-format <fmt>    text or json (default: text); logs go to stderr
  --debug               show stack traces of internal errors

Exit codes: 0 every runner succeeded; 1 a runner failed; 2 usage, config or plugin-load error.
Plugin API ${API_VERSION}. Docs: README.md.
`;

const secrets = new Set<string>();

/**
 * The otai command line.
 *
 * @param args Arguments after the program name.
 * @returns The exit code.
 */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        "log-level": { type: "string" },
        "log-format": { type: "string" },
        debug: { type: "boolean" },
        offline: { type: "boolean" },
        frozen: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return print(HELP, 0);
  if (values.version) return print(`otai ${denoJson.version} (plugin API ${API_VERSION})\n`, 0);
  const COMMANDS = ["run", "check", "lock", "fetch", "plugins"];
  let [command, ...rest] = positionals;
  if (!COMMANDS.includes(command ?? "")) [command, rest] = ["run", positionals];
  let sub: string | undefined;
  if (command === "plugins") {
    sub = rest.shift();
    if (sub !== "list" && sub !== "info") {
      return usage('use "otai plugins list" or "otai plugins info"');
    }
  }
  const file = rest[0];
  if (!file || rest.length > 1) {
    return usage(
      sub === "info" ? "give exactly one plugin specifier" : "give exactly one config file",
    );
  }
  const modes = { offline: values.offline === true, frozen: values.frozen === true };
  const level = values["log-level"] ?? (values.json ? "warning" : "info");
  const format = values["log-format"] ?? "text";
  if (!isLogLevel(level)) return usage(`unknown --log-level "${level}"`);
  if (format !== "text" && format !== "json") return usage(`unknown --log-format "${format}"`);

  const child = await reexecWithWorkerOptions();
  if (child !== undefined) return child;
  setupLogging(level, format, secrets);
  try {
    const json = values.json === true;
    switch (command) {
      case "check":
        return await check(file, json, modes);
      case "lock":
      case "fetch":
        return await fetchPlugins(file, command === "lock", modes.offline);
      case "plugins":
        return await (sub === "info"
          ? pluginInfo(file, json, modes.offline)
          : pluginList(file, json, modes));
      default:
        return await run(file, json, modes);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const d of e.diagnostics) {
        Deno.stderr.writeSync(
          new TextEncoder().encode(redact(`${formatDiagnostic(d)}\n`, secrets)),
        );
      }
      const n = e.diagnostics.length;
      console.error(`${n} problem${n === 1 ? "" : "s"} found in ${file}; nothing was run`);
      if (values.debug) console.error(e.stack);
      return e.exitCode;
    }
    console.error(redact(`otai: ${(e as Error).message}`, secrets));
    if (values.debug) console.error(redact(String((e as Error).stack), secrets));
    else console.error("(run again with --debug for details)");
    return 1;
  }
}

type Modes = { offline: boolean; frozen: boolean };

async function check(file: string, json: boolean, modes: Modes): Promise<number> {
  using app = await openConfig(file, { chdir: true, ...modes });
  app.secrets.forEach((s) => secrets.add(s));
  if (json) {
    const doc = {
      config: file,
      status: app.failedServices.size ? "failed" : "ok",
      plugins: app.plugins.map((p) => ({
        prefix: p.prefix,
        name: p.manifest.name,
        version: p.manifest.version,
        api: p.manifest.api,
        url: p.url,
        source: p.source,
        permissions: p.effective,
        injectables: p.manifest.injectables,
      })),
      services: app.plan.services.map((s) => ({
        id: s.id,
        use: s.entry.key,
        ...(app.failedServices.has(s.id) ? { error: app.failedServices.get(s.id) } : {}),
      })),
      runners: app.plan.runners.map((r) => ({ id: r.id, steps: r.steps.map((s) => s.id) })),
    };
    return print(
      redact(JSON.stringify(doc, null, 2), secrets) + "\n",
      app.failedServices.size ? 2 : 0,
    );
  }
  return print(redact(checkReport(app), secrets), app.failedServices.size ? 2 : 0);
}

async function run(file: string, json: boolean, modes: Modes): Promise<number> {
  const started = Date.now();
  using app = await openConfig(file, { chdir: true, ...modes });
  app.secrets.forEach((s) => secrets.add(s));
  const controller = new AbortController();
  let stoppedAt = 0;
  const stop = () => {
    // A Ctrl-C reaches both a re-run otai and its parent, which passes it on: one key press can
    // arrive twice. Only a second press (a moment later) quits at once.
    if (controller.signal.aborted) {
      if (Date.now() - stoppedAt > 500) Deno.exit(130);
      return;
    }
    stoppedAt = Date.now();
    console.error("otai: stopping after the current work (press Ctrl-C again to quit now)");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  let results;
  const progress = Deno.stderr.isTerminal() && !json ? new ProgressLine() : undefined;
  try {
    const last = new Map<string, RunnerResult>();
    results = await app.run({
      signal: controller.signal,
      ...(progress ? { onProgress: (p: Progress) => progress.update(p) } : {}),
      onCycle(r) {
        last.set(r.id, r);
        if (app.plan.runners.some((x) => x.intervalMs !== undefined || x.cron)) {
          writeStatus(app, last);
        }
      },
    });
  } finally {
    progress?.clear();
    Deno.removeSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", stop);
  }
  const failed = results.some((r) => r.status === "failed");
  const plugins = app.plugins.map((p) => ({
    prefix: p.prefix,
    isolation: p.isolation,
    ...(p.runtime.health ?? { status: "running", restarts: 0 }),
  }));
  if (json) {
    const doc = {
      config: file,
      status: failed ? "failed" : "succeeded",
      duration_ms: Date.now() - started,
      runners: results,
      plugins,
    };
    print(redact(JSON.stringify(doc, null, 2), secrets) + "\n", 0);
  } else {
    let text = summaryTable(results, Date.now() - started);
    const troubled = plugins.filter((p) => p.restarts > 0 || p.status !== "running");
    for (const p of troubled) {
      text += `plugin ${p.prefix}: ${p.status}, restarted ${p.restarts} time(s)` +
        `${"lastError" in p && p.lastError ? `; last: ${p.lastError}` : ""}\n`;
    }
    text += reports(results);
    print(redact(text, secrets), 0);
  }
  return failed ? 1 : 0;
}

async function fetchPlugins(file: string, lock: boolean, offline: boolean): Promise<number> {
  const { plugins, lockFile } = await fetchConfigPlugins(file, { lock, offline });
  const lines = plugins.map((p) =>
    `${p.from} -> ${p.source.resolved ?? p.source.specifier}  ${p.source.integrity}  ` +
    `(${p.modules} modules, ${(p.bytes / 1024).toFixed(1)} KiB)`
  );
  if (!plugins.length) lines.push("no remote plugins in this config");
  if (lockFile) lines.push(`wrote ${lockFile.pathname}`);
  return print(lines.join("\n") + "\n", 0);
}

async function pluginInfo(specifier: string, json: boolean, offline: boolean): Promise<number> {
  const info = await inspectPlugin(specifier, { offline });
  if (json) return print(JSON.stringify(info, null, 2) + "\n", info.problems.length ? 2 : 0);
  print(pluginInfoText(info), 0);
  return info.problems.length ? 2 : 0;
}

async function pluginList(file: string, json: boolean, modes: Modes): Promise<number> {
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
    return print(redact(JSON.stringify(doc, null, 2), secrets) + "\n", failed ? 2 : 0);
  }
  print(redact(pluginListText(statuses, readStatus(file)), secrets), 0);
  return failed ? 2 : 0;
}

function print(text: string, code: number): number {
  const bytes = new TextEncoder().encode(text);
  for (let n = 0; n < bytes.length;) n += Deno.stdout.writeSync(bytes.subarray(n));
  return code;
}

function usage(message: string): number {
  console.error(`otai: ${message}\nRun "otai --help" for usage.`);
  return 2;
}
