import { parseArgs } from "node:util";
import { isLogLevel } from "@logtape/logtape";
import { API_VERSION } from "../core/api_version.ts";
import { ConfigError } from "../core/errors.ts";
import { openConfig } from "../loader/open_config.ts";
import { redact, setupLogging } from "./_logging.ts";
import { checkReport, summaryTable } from "./_output.ts";
import { reexecWithWorkerOptions } from "./_reexec.ts";
import denoJson from "../deno.json" with { type: "json" };

const HELP = `otai ${denoJson.version}: ticket automation with sandboxed plugins

Usage:
  otai [run] <config.yml> [options]   load the plugins, run every runner
  otai check <config.yml> [options]   load and check everything, run nothing
  otai --help | --version

Options:
  --json                print the results document (run) or report (check) as JSON on stdout
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
  let [command, file] = positionals;
  if (command !== "run" && command !== "check") [command, file] = ["run", command];
  if (!file || positionals.length > (positionals[0] === command ? 2 : 1)) {
    return usage("give exactly one config file");
  }
  const level = values["log-level"] ?? (values.json ? "warning" : "info");
  const format = values["log-format"] ?? "text";
  if (!isLogLevel(level)) return usage(`unknown --log-level "${level}"`);
  if (format !== "text" && format !== "json") return usage(`unknown --log-format "${format}"`);

  const child = await reexecWithWorkerOptions();
  if (child !== undefined) return child;
  setupLogging(level, format, secrets);
  try {
    return await (command === "check"
      ? check(file, values.json === true)
      : run(file, values.json === true));
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const d of e.diagnostics) {
        Deno.stderr.writeSync(
          new TextEncoder().encode(
            redact(
              `${d.file}:${d.line}:${d.column}: ${d.path ? d.path + ": " : ""}${d.message}\n`,
              secrets,
            ),
          ),
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

async function check(file: string, json: boolean): Promise<number> {
  using app = await openConfig(file, { chdir: true });
  app.secrets.forEach((s) => secrets.add(s));
  if (json) {
    const doc = {
      config: file,
      status: "ok",
      plugins: app.plugins.map((p) => ({
        prefix: p.prefix,
        name: p.manifest.name,
        version: p.manifest.version,
        api: p.manifest.api,
        url: p.url,
        permissions: p.effective,
        injectables: p.manifest.injectables,
      })),
      services: app.plan.services.map((s) => ({ id: s.id, use: s.entry.key })),
      runners: app.plan.runners.map((r) => ({ id: r.id, steps: r.steps.map((s) => s.id) })),
    };
    return print(redact(JSON.stringify(doc, null, 2), secrets) + "\n", 0);
  }
  return print(redact(checkReport(app), secrets), 0);
}

async function run(file: string, json: boolean): Promise<number> {
  const started = Date.now();
  using app = await openConfig(file, { chdir: true });
  app.secrets.forEach((s) => secrets.add(s));
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) Deno.exit(130);
    console.error("otai: stopping after the current work (press Ctrl-C again to quit now)");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  let results;
  try {
    results = await app.run({ signal: controller.signal });
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", stop);
  }
  const failed = results.some((r) => r.status === "failed");
  if (json) {
    const doc = {
      config: file,
      status: failed ? "failed" : "succeeded",
      duration_ms: Date.now() - started,
      runners: results,
    };
    print(redact(JSON.stringify(doc, null, 2), secrets) + "\n", 0);
  } else print(redact(summaryTable(results, Date.now() - started), secrets), 0);
  return failed ? 1 : 0;
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
