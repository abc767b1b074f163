import { z } from "zod";
import { parseDuration } from "../duration.ts";
import type { Diagnostic, SourceLocation } from "../errors.ts";
import {
  compileCondition,
  type CompiledValue,
  compileValue,
  type ExpressionScope,
} from "../expression.ts";
import {
  type Config,
  configRootSchema,
  type PluginEntry,
  pluginEntrySchema,
  runnerEntrySchema,
  serviceEntrySchema,
  type StepConfig,
  stepEntrySchema,
} from "./schema.ts";
import { parseConfigYaml, type ParsedYaml } from "./_yaml.ts";
import type { ConfigPath } from "./config_path.ts";
import { issuesToDiagnostics } from "./_schema_issues.ts";
import { formatPath } from "./config_path.ts";
import { type ConfigRefs, crossCheck, type EntryRefs } from "./_cross_check.ts";

/** A step, compiled: expressions ready to evaluate, durations in ms, inherited values applied. */
export interface CompiledStep {
  /** The step id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** `prefix:Name` of the pipe it runs; undefined for a `for_each`. */
  use?: string;
  /** Its params, compiled. */
  params: CompiledValue;
  /** Injected name to service id. */
  injects: Record<string, string>;
  /** Its `if:`, compiled. */
  condition?: (scope: ExpressionScope) => boolean;
  /** Time limit in ms (its own, else its runner's or `for_each`'s, else the default). */
  timeoutMs: number;
  /** Whether the runner goes on after a failure. */
  continueOnError: boolean;
  /** Its `for_each` list expression, compiled. */
  forEach?: CompiledValue;
  /** Items in flight at once. */
  concurrency: number;
  /** Sub-steps of a `for_each`. */
  steps: CompiledStep[];
}

/** A runner, compiled. */
export interface CompiledRunner {
  /** The runner id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** Interval in ms, when scheduled so. */
  intervalMs?: number;
  /** Cron pattern, when scheduled so. */
  cron?: string;
  /** Back-to-back cycles while a condition over the last one holds, some in flight at once. */
  repeat?: { while: (scope: ExpressionScope) => boolean; inFlight: number };
  /** Runner params, `params` in expressions. */
  params: Record<string, unknown>;
  /** Its steps. */
  steps: CompiledStep[];
}

/** A service entry, checked. */
export interface CompiledService {
  /** The service id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** `prefix:Name` of the service. */
  use: string;
  /** Static params. */
  params: Record<string, unknown>;
  /** Injected name to service id. */
  injects: Record<string, string>;
}

/** A `plugins:` entry: its index, its `from:` and, when it is valid, the checked entry. */
export interface CompiledPlugin {
  /** Its index under `plugins:`. */
  index: number;
  /** Its `from:` as written (empty when unreadable). */
  from: string;
  /** The checked entry; undefined when it is invalid (see the diagnostics). */
  entry?: PluginEntry;
}

/** A config parsed, checked and compiled in one pass, with every problem found in it. */
export interface CompiledConfig {
  /** The file as the user named it (used in messages). */
  file: string;
  /** The directory relative paths in the config resolve against, as a file URL ending in "/". */
  baseUrl: URL;
  /** The validated config as written; undefined when there are diagnostics. */
  config: Config | undefined;
  /** Every problem found in the file; callers may add their own before reporting. */
  diagnostics: Diagnostic[];
  /** Values substituted from the environment; redacted wherever shown. */
  secrets: ReadonlySet<string>;
  /** Where a config path sits in the file. */
  locate(path: ConfigPath): SourceLocation;
  /** Every `plugins:` entry. */
  plugins: CompiledPlugin[];
  /** Every valid service entry. */
  services: CompiledService[];
  /** Every valid runner, with its valid steps. */
  runners: CompiledRunner[];
  /** How long a timed-out pipe may go on before its sandbox is stopped, when set. */
  killAfterMs?: number;
  /** Limits on fetching remote plugins. */
  fetch: { timeoutMs?: number; maxBytes?: number };
}

/** Options for {@linkcode compileConfig}. */
export interface CompileConfigOptions {
  /** Reads an environment variable; default `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** The working directory relative file names resolve against; default `Deno.cwd()`. */
  cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Reads a field of an entry that did not pass its schema, for the checks across entries. */
const lenient = z.object({
  id: z.string().optional().catch(undefined),
  from: z.string().optional().catch(undefined),
  injects: z.record(z.string(), z.unknown()).optional().catch(undefined),
  steps: z.array(z.unknown()).optional().catch(undefined),
  run: z.preprocess(
    (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? [v] : v),
    z.array(z.unknown()).optional().catch(undefined),
  ),
}).catch({});

/** The lists of a config whose top level did not pass its schema. */
const lenientRoot = z.object({
  plugins: z.array(z.unknown()).optional().catch(undefined),
  services: z.array(z.unknown()).optional().catch(undefined),
  orchestrator: z.object({ runners: z.array(z.unknown()).catch([]) }).optional().catch(undefined),
}).catch({});

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
  if (root.fetch?.timeout !== undefined) out.fetch.timeoutMs = parseDuration(root.fetch.timeout);
  if (root.fetch?.max_size_mb !== undefined) out.fetch.maxBytes = root.fetch.max_size_mb * 1e6;
  out.plugins = (root.plugins ?? []).map((raw, index) => compiler.plugin(raw, index));
  out.services = (root.services ?? []).flatMap((raw, i) => compiler.service(raw, i) ?? []);
  out.runners = (root.orchestrator?.runners ?? []).flatMap((raw, i) =>
    compiler.runner(raw, i, defaultTimeout) ?? []
  );
  crossCheck(compiler.refs, (path, message) => compiler.report(path, message));
  compiler.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!compiler.diagnostics.length) out.config = compiler.asWritten(root);
  return out;
}

type Root = {
  [K in keyof z.output<typeof configRootSchema>]?: z.output<typeof configRootSchema>[K] | undefined;
};

/** One compilation: the diagnostics, the references across entries, and the entries as written. */
class Compiler {
  readonly diagnostics: Diagnostic[];
  readonly refs: ConfigRefs = { services: [], runners: [], stepLists: [] };
  #yaml: ParsedYaml;
  /** Each valid entry as parsed, by its path. */
  #written = new Map<string, unknown>();

  constructor(yaml: ParsedYaml) {
    this.#yaml = yaml;
    this.diagnostics = [...yaml.diagnostics];
  }

  report(path: ConfigPath, message: string): void {
    this.diagnostics.push({ ...this.#yaml.locate(path), path: formatPath(path), message });
  }

  root(data: object): Root {
    // When the top level is invalid, go on with the lists that can be read, to find all problems.
    return this.#parse(configRootSchema, data, []) ?? lenientRoot.parse(data);
  }

  plugin(raw: unknown, index: number): CompiledPlugin {
    const entry = this.#parse(pluginEntrySchema, raw, ["plugins", index]);
    const from = entry?.from ?? lenient.parse(raw).from ?? "";
    return entry ? { index, from, entry } : { index, from };
  }

  service(raw: unknown, i: number): CompiledService | undefined {
    const path = ["services", i];
    const s = this.#parse(serviceEntrySchema, raw, path);
    this.refs.services.push(
      s ? { path, id: s.id, injects: s.injects } : this.#lenientRefs(raw, path),
    );
    if (!s) return undefined;
    return { id: s.id, path, use: s.use, params: s.params ?? {}, injects: s.injects ?? {} };
  }

  runner(raw: unknown, i: number, defaultTimeout: Duration): CompiledRunner | undefined {
    const path = ["orchestrator", "runners", i];
    const r = this.#parse(runnerEntrySchema, raw, path);
    this.refs.runners.push(r ? { path, id: r.id } : this.#lenientRefs(raw, path));
    const inherited = { timeout: r?.timeout ?? defaultTimeout, concurrency: r?.concurrency };
    const steps = this.#steps(r?.run ?? lenient.parse(raw).run ?? [], [...path, "run"], inherited);
    if (!r) return undefined;
    const runner: CompiledRunner = { id: r.id, path, params: r.params ?? {}, steps };
    if (r.on?.interval !== undefined) runner.intervalMs = parseDuration(r.on.interval);
    if (r.on?.cron !== undefined) runner.cron = r.on.cron;
    if (r.repeat) {
      runner.repeat = {
        while: compileCondition(r.repeat.while),
        inFlight: r.repeat.in_flight ?? 1,
      };
    }
    return runner;
  }

  /** The config as written, from the parsed root and entries (only when all are valid). */
  asWritten(root: Root): Config {
    const steps = (path: ConfigPath, count: number): StepConfig[] =>
      Array.from({ length: count }, (_, j) => {
        const s = this.#at<StepConfig>([...path, j]);
        return s.steps ? { ...s, steps: steps([...path, j, "steps"], s.steps.length) } : s;
      });
    const config = { ...root } as Config;
    if (root.plugins) config.plugins = root.plugins.map((_, i) => this.#at(["plugins", i]));
    if (root.services) config.services = root.services.map((_, i) => this.#at(["services", i]));
    config.orchestrator = {
      runners: (root.orchestrator?.runners ?? []).map((_, i) => {
        const path = ["orchestrator", "runners", i];
        const r = this.#at(path) as Config["orchestrator"]["runners"][number];
        return { ...r, run: steps([...path, "run"], r.run.length) };
      }),
    };
    return config;
  }

  #steps(
    list: unknown[],
    base: ConfigPath,
    inherited: { timeout: Duration; concurrency: number | undefined },
  ): CompiledStep[] {
    const refs: EntryRefs[] = [];
    this.refs.stepLists.push(refs);
    return list.flatMap((raw, j) => {
      const path = [...base, j];
      const s = this.#parse(stepEntrySchema, raw, path);
      refs.push(s ? { path, id: s.id, injects: s.injects } : this.#lenientRefs(raw, path));
      const timeout = s?.timeout ?? inherited.timeout;
      const children = s?.steps ?? lenient.parse(raw).steps;
      const steps = children
        ? this.#steps(children, [...path, "steps"], { ...inherited, timeout })
        : [];
      if (!s) return [];
      const step: CompiledStep = {
        id: s.id,
        path,
        params: compileValue(s.params ?? {}),
        injects: s.injects ?? {},
        timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(timeout),
        continueOnError: s.continue_on_error === true,
        concurrency: s.concurrency ?? inherited.concurrency ?? 1,
        steps,
      };
      if (s.use !== undefined) step.use = s.use;
      if (s.if !== undefined) step.condition = compileCondition(s.if);
      if (s.for_each !== undefined) step.forEach = compileValue(s.for_each);
      return [step];
    });
  }

  /**
   * Validates one entry. An entry whose only problems are unknown keys is still used without
   * them (the keys are reported), so that everything else about it gets checked too.
   */
  #parse<T>(schema: z.ZodType<T>, raw: unknown, path: ConfigPath): T | undefined {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return this.#keep(path, parsed.data);
    this.diagnostics.push(...issuesToDiagnostics(parsed.error.issues, this.#yaml, schema, path));
    const unknown = parsed.error.issues.filter((i) => i.code === "unrecognized_keys");
    if (unknown.length !== parsed.error.issues.length) return undefined;
    const cleaned = withoutKeys(raw, unknown);
    const again = schema.safeParse(cleaned);
    return again.success ? this.#keep(path, again.data) : undefined;
  }

  #keep<T>(path: ConfigPath, value: T): T {
    this.#written.set(JSON.stringify(path), value);
    return value;
  }

  #at<T>(path: ConfigPath): T {
    return this.#written.get(JSON.stringify(path)) as T;
  }

  #lenientRefs(raw: unknown, path: ConfigPath): EntryRefs {
    const { id, injects } = lenient.parse(raw);
    return { path, id, injects };
  }
}

type Duration = number | string | undefined;

/** A copy of `value` without the keys that unrecognized-key issues name. */
function withoutKeys(value: unknown, issues: z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(value);
  for (const issue of issues) {
    let at = copy as Record<PropertyKey, unknown>;
    for (const seg of issue.path) at = at?.[seg] as Record<PropertyKey, unknown>;
    if (issue.code !== "unrecognized_keys" || !at) continue;
    for (const key of issue.keys) delete at[key];
  }
  return copy;
}
