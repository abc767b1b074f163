import { API_VERSION } from "../core/api_version.ts";
import { ConfigError, formatDiagnostic } from "../core/errors.ts";
import { redact, setupLogging } from "./_logging.ts";
import { reexecWithWorkerOptions } from "./_reexec.ts";
import { type CommandLine, parseCommandLine } from "./_args.ts";
import { print, secrets, usage } from "./_io.ts";
import { check } from "./check_command.ts";
import { run } from "./run_command.ts";
import { fetchPlugins, pluginInfo, pluginList } from "./plugins_command.ts";
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
  const child = await reexecWithWorkerOptions();
  if (child !== undefined) return child;
  setupLogging(line.level, line.format, secrets);
  try {
    return await dispatch(line);
  } catch (e) {
    return reportError(e as Error, line);
  }
}

function dispatch({ command, sub, target, json, modes }: CommandLine): Promise<number> {
  switch (command) {
    case "check":
      return check(target, json, modes);
    case "lock":
    case "fetch":
      return fetchPlugins(target, command === "lock", modes.offline);
    case "plugins":
      return sub === "info"
        ? pluginInfo(target, json, modes.offline)
        : pluginList(target, json, modes);
    default:
      return run(target, json, modes);
  }
}

/** An error that ended a command, as a user should see it: no stack unless `--debug`. */
function reportError(e: Error, line: CommandLine): number {
  if (e instanceof ConfigError) {
    for (const d of e.diagnostics) {
      Deno.stderr.writeSync(new TextEncoder().encode(redact(`${formatDiagnostic(d)}\n`, secrets)));
    }
    const n = e.diagnostics.length;
    console.error(`${n} problem${n === 1 ? "" : "s"} found in ${line.target}; nothing was run`);
    if (line.debug) console.error(e.stack);
    return e.exitCode;
  }
  console.error(redact(`otai: ${e.message}`, secrets));
  if (line.debug) console.error(redact(String(e.stack), secrets));
  else console.error("(run again with --debug for details)");
  return 1;
}
