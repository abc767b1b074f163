import { z } from "zod";
import { parseDuration } from "../duration.ts";
import type { Diagnostic } from "../errors.ts";
import { compileCondition, compileValue } from "../expression.ts";
import {
  type Config,
  type ConfigRoot,
  configRootSchema,
  pluginEntrySchema,
  runnerEntrySchema,
  serviceEntrySchema,
  type StepConfig,
  stepEntrySchema,
} from "./schema.ts";
import type { ParsedYaml } from "./_yaml.ts";
import { type ConfigPath, formatPath } from "./config_path.ts";
import { issuesToDiagnostics } from "./_schema_issues.ts";
import type { ConfigRefs, EntryRefs } from "./_cross_check.ts";
import type { CompiledPlugin, CompiledRunner, CompiledService, CompiledStep } from "./compiled.ts";

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

/** The top level as read: every field may be missing when it did not pass its schema. */
export type Root = { [K in keyof ConfigRoot]?: ConfigRoot[K] | undefined };

/** One compilation: the diagnostics, the references across entries, and the entries as written. */
export class Compiler {
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
      if (s.if !== undefined) {
        step.condition = compileCondition(s.if);
        step.conditionSource = s.if;
      }
      if (s.for_each !== undefined) step.forEach = compileValue(s.for_each);
      if (s.collect !== undefined) step.collect = compileValue(s.collect);
      if (s.distribute) step.distribute = true;
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
