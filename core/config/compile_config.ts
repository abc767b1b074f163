import { parseDuration } from "../duration.ts";
import { parseConfigYaml } from "./_yaml.ts";
import { crossCheck } from "./_cross_check.ts";
import { Compiler } from "./_compiler.ts";
import type { ConfigRoot } from "./schema.ts";
import type { CompiledConfig, CompiledStep, QueueSettings } from "./compiled.ts";
import type { ConfigPath } from "./config_path.ts";

export type {
  CompiledConfig,
  CompiledPlugin,
  CompiledRunner,
  CompiledService,
  CompiledStep,
  QueueSettings,
} from "./compiled.ts";

/** Options for {@linkcode compileConfig}. */
export interface CompileConfigOptions {
  /** Reads an environment variable; default `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** The working directory relative file names resolve against; default `Deno.cwd()`. */
  cwd?: string;
}

/**
 * Parses config text once: YAML with positions and `${VAR}` substitution, each entry validated
 * with its zod schema, the checks across entries, every CEL template compiled. What is valid is
 * compiled even when other parts are not, so that plugin loading and planning can report their
 * problems beside these.
 *
 * @param text The config text.
 * @param file The file name, for messages.
 * @param options Environment and working directory.
 * @returns The compiled config with every diagnostic, sorted by position.
 *
 * @example
 * ```ts
 * import { compileConfig } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const text = "orchestrator:\n  runners:\n    - id: main\n      run: { id: a, use: x:Y, timeout: 2s }\n";
 * const compiled = compileConfig(text, "c.yml");
 * strictEqual(compiled.diagnostics.length, 0);
 * strictEqual(compiled.runners[0]?.steps[0]?.timeoutMs, 2000);
 * ```
 */
export function compileConfig(
  text: string,
  file: string,
  options: CompileConfigOptions = {},
): CompiledConfig {
  const yaml = parseConfigYaml(text, file, options.env ?? ((name) => Deno.env.get(name)));
  const compiler = new Compiler(yaml);
  const absolute = new URL(file, `file://${options.cwd ?? Deno.cwd()}/`);
  const out: CompiledConfig = {
    file,
    baseUrl: new URL(".", absolute),
    config: undefined,
    diagnostics: compiler.diagnostics,
    secrets: yaml.secrets,
    locate: yaml.locate,
    plugins: [],
    services: [],
    runners: [],
    fetch: {},
  };
  if (yaml.data === undefined) return out;
  if (yaml.data === null || typeof yaml.data !== "object" || Array.isArray(yaml.data)) {
    compiler.report([], "the config must be a mapping with at least orchestrator.runners");
    return out;
  }
  const root = compiler.root(yaml.data);
  const defaultTimeout = root.defaults?.timeout;
  if (root.defaults?.kill_after !== undefined) {
    out.killAfterMs = parseDuration(root.defaults.kill_after);
  }
  if (root.defaults?.stop_grace !== undefined) {
    out.stopGraceMs = parseDuration(root.defaults.stop_grace);
  }
  if (root.fetch?.timeout !== undefined) out.fetch.timeoutMs = parseDuration(root.fetch.timeout);
  if (root.fetch?.max_size_mb !== undefined) out.fetch.maxBytes = root.fetch.max_size_mb * 1e6;
  if (root.queue) out.queue = queueSettings(root.queue);
  out.plugins = (root.plugins ?? []).map((raw, index) => compiler.plugin(raw, index));
  out.services = (root.services ?? []).flatMap((raw, i) => compiler.service(raw, i) ?? []);
  out.runners = (root.orchestrator?.runners ?? []).flatMap((raw, i) =>
    compiler.runner(raw, i, defaultTimeout) ?? []
  );
  crossCheck(compiler.refs, (path, message) => compiler.report(path, message));
  const report = (path: ConfigPath, message: string) => compiler.report(path, message);
  // A queue: written but invalid is reported as such, not as missing.
  const queued = out.queue !== undefined || Object.hasOwn(yaml.data, "queue");
  for (const r of out.runners) checkDistribute(r.steps, queued, true, report);
  compiler.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!compiler.diagnostics.length) out.config = compiler.asWritten(root);
  return out;
}

/** `queue:` as the scheduler and the workers take it: durations in milliseconds. */
function queueSettings(q: NonNullable<ConfigRoot["queue"]>): QueueSettings {
  const out: QueueSettings = { url: q.url };
  if (q.attempts !== undefined) out.attempts = q.attempts;
  if (q.retry_delay !== undefined) out.retryDelayMs = parseDuration(q.retry_delay);
  if (q.stall_timeout !== undefined) out.stallMs = parseDuration(q.stall_timeout);
  if (q.idle_timeout !== undefined) out.idleMs = parseDuration(q.idle_timeout);
  return out;
}

/**
 * Refuses `distribute: true` without a `queue:`, and below another `for_each` (the items of a
 * distributed loop run on workers; an inner loop runs there as a whole).
 */
function checkDistribute(
  steps: CompiledStep[],
  queued: boolean,
  top: boolean,
  report: (path: ConfigPath, message: string) => void,
): void {
  for (const s of steps) {
    if (s.distribute && !top) {
      report(
        [...s.path, "distribute"],
        "distribute applies to for_each steps of a runner's run list only, not inside another " +
          "for_each; distribute the outer for_each instead",
      );
    } else if (s.distribute && !queued) {
      report(
        [...s.path, "distribute"],
        'distribute: true needs a queue; add queue: { url: "redis://host:6379" } at the top ' +
          "level, or remove distribute",
      );
    }
    checkDistribute(s.steps, queued, false, report);
  }
}
