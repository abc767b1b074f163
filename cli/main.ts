import { API_VERSION } from "../core/api_version.ts";
import { loadConfig } from "../core/config/load_config.ts";
import { ConfigError, formatDiagnostic } from "../core/errors.ts";
import { envGranted } from "../core/secrets.ts";
import { setupLogging } from "./_logging.ts";
import { escapeControl } from "./_text.ts";
import { reexecWithWorkerOptions } from "./_reexec.ts";
import { type CommandLine, parseCommandLine } from "./_args.ts";
import { print, secrets, usage } from "./_io.ts";
import { check } from "./check_command.ts";
import { run } from "./run_command.ts";
import { newPlugin } from "./new_command.ts";
import { schema } from "./schema_command.ts";
import { safe } from "./safe_command.ts";
import { worker } from "./worker_command.ts";
import { queueStatusCommand } from "./queue_command.ts";
import { fetchPlugins, pluginInfo, pluginList, pluginSearch } from "./plugins_command.ts";
import denoJson from "../deno.json" with { type: "json" };

const HELP = `otai ${denoJson.version}: ticket automation with sandboxed plugins

Usage:
  otai [run] <config.yml> [options]   load the plugins, run every runner
  otai check <config.yml> [options]   load and check everything, run nothing
  otai lock <config.yml>              resolve remote plugins, write otai.lock beside the config
  otai fetch <config.yml>             fetch remote plugins into the cache (for offline hosts)
  otai plugins list <config.yml>      each plugin: status, effective permissions, source, health
  otai plugins info <specifier>       a plugin's manifest, fetched without granting it anything
  otai plugins search <words>         JSR packages matching the words, with the permissions each requests
  otai schema [config.yml]            the config's JSON Schema; given a config, with its plugins' params
  otai new plugin <name>              a ready plugin package in ./<name>/ (--scope @acme: its JSR scope)
  otai worker <config.yml>            take the jobs of distributed for_each steps from the queue
                                      (--concurrency N: jobs at once per step), until stopped
  otai queue status <config.yml>      jobs waiting, active, completed, failed; the workers seen
  otai --help | --version

Options:
  --json                print the results document (run) or report (check) as JSON on stdout
  --offline             use cached plugins only; never reach the network
  --frozen              refuse remote plugins that otai.lock does not list
  --safe                (run, check) load no plugin code: check the config alone, list what
                        would be loaded (source, prefix, isolation, grant, lock), run nothing
  --work                (run) take jobs of its distributed for_each steps too (--concurrency N)
  --watch               (run) reload a changed local plugin alone, keep otai running; runners
                        without a schedule run again after each reload (not with --json)
  --log-level <level>   trace, debug, info, warning, error, fatal (default: info)
  --log-format <fmt>    text or json (default: text); logs go to stderr
  --debug               show stack traces of internal errors

Exit codes: 0 every runner succeeded (or stopped on request, its work in flight done); 1 a runner
failed; 2 usage, config or plugin-load error; 130/143 a stop on SIGINT/SIGTERM that cut work short.
Plugin API ${API_VERSION}. Docs: README.md.
`;

/**
 * The otai command line.
 *
 * @param args Arguments after the program name.
 * @returns The exit code.
 */
export async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(args);
  if (line === "help") return print(HELP, 0);
  if (line === "version") return print(`otai ${denoJson.version} (plugin API ${API_VERSION})\n`, 0);
  if ("usage" in line) return usage(line.usage);
  const child = await reexecWithWorkerOptions(await usesWorkers(line));
  if (child !== undefined) return child;
  setupLogging(line.level, line.format, secrets);
  try {
    return await dispatch(line);
  } catch (e) {
    return reportError(e as Error, line);
  }
}

/**
 * Whether the config a command opens has a plugin in a Worker sandbox. Its `${VAR}` values
 * become secrets at once, so that no message about the config (a plugin that cannot be fetched
 * from a URL holding a token) shows them.
 */
async function usesWorkers(line: CommandLine): Promise<boolean> {
  if (line.command === "new") return false;
  if (line.sub === "info" || line.sub === "search" || line.command === "schema") return false;
  try {
    const config = await loadConfig(line.target);
    secrets.addAll(config.secrets);
    // What any plugin may read of the environment is secret too, before a plugin that fails to
    // start (its setup quoting its license key) can show it.
    const all = Object.entries(Deno.env.toObject());
    for (const p of config.plugins) {
      const grant = p.entry?.permissions?.env;
      if (!grant) continue;
      for (const [name, value] of all) if (envGranted(grant, name)) secrets.add(value);
    }
    // --safe starts no sandbox, so it needs no Worker flags.
    return !line.safe && config.plugins.some((p) => p.entry?.isolation === "worker");
  } catch {
    return false; // the command itself reports what is wrong with the file
  }
}

function dispatch(line: CommandLine): Promise<number> {
  const { command, sub, target, json, modes, scope } = line;
  if (line.safe) return safe(target, json, command);
  switch (command) {
    case "new":
      return newPlugin(target, scope === undefined ? {} : { scope });
    case "check":
      return check(target, json, modes);
    case "lock":
    case "fetch":
      return fetchPlugins(target, command === "lock", modes.offline);
    case "schema":
      return schema(target, modes);
    case "worker":
      return worker(target, modes, line.concurrency);
    case "queue":
      return queueStatusCommand(target, json);
    case "plugins":
      return sub === "info"
        ? pluginInfo(target, json, modes.offline)
        : sub === "search"
        ? pluginSearch(target, json, modes.offline)
        : pluginList(target, json, modes);
    default:
      return run(target, json, {
        ...modes,
        watch: line.watch === true,
        work: line.work ? line.concurrency ?? 1 : 0,
      });
  }
}

/** An error that ended a command, as a user should see it: no stack unless `--debug`. */
function reportError(e: Error, line: CommandLine): number {
  if (e instanceof ConfigError) {
    for (const d of e.diagnostics) {
      // Continuation lines (a suggested grant) are indented: no line a plugin wrote can pass
      // for a diagnostic of its own.
      const line = escapeControl(secrets.redactText(formatDiagnostic(d)), { lines: true })
        .replaceAll("\n", "\n  ");
      Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
    }
    const n = e.diagnostics.length;
    console.error(`${n} problem${n === 1 ? "" : "s"} found in ${line.target}; nothing was run`);
    if (line.debug) console.error(e.stack);
    return e.exitCode;
  }
  console.error(escapeControl(secrets.redactText(`otai: ${e.message}`)));
  if (line.debug) console.error(secrets.redactText(String(e.stack)));
  else console.error("(run again with --debug for details)");
  // Errors that carry their exit code (Redis unreachable at start: 2).
  const code = (e as { exitCode?: unknown }).exitCode;
  return typeof code === "number" ? code : 1;
}
