import type { LoadedConfig } from "./config/load_config.ts";
import type { Config, StepConfig } from "./config/schema.ts";
import type { ConfigPath } from "./config/_yaml.ts";
import { formatPath } from "./config/_schema_issues.ts";
import { parseDuration } from "./duration.ts";
import type { Diagnostic } from "./errors.ts";
import { compileCondition, type CompiledValue, compileValue } from "./expression.ts";
import type { Registry, RegistryEntry } from "./registry.ts";

/** A step ready to run: compiled expressions, resolved pipe. */
export interface PlannedStep {
  /** The step id. */
  id: string;
  /** Where it sits in the config. */
  path: ConfigPath;
  /** The pipe it runs; undefined for a `for_each`. */
  pipe?: RegistryEntry;
  /** Compiled params. */
  params: CompiledValue;
  /** Injected name to service id. */
  injects: Record<string, string>;
  /** Compiled `if:`. */
  condition?: (scope: Record<string, unknown>) => boolean;
  /** Time limit in ms. */
  timeoutMs: number;
  /** Whether the runner goes on after a failure. */
  continueOnError: boolean;
  /** Compiled `for_each` list expression. */
  forEach?: CompiledValue;
  /** Items in flight at once. */
  concurrency: number;
  /** Sub-steps of a `for_each`. */
  steps: PlannedStep[];
}

/** A runner ready to run. */
export interface PlannedRunner {
  /** The runner id. */
  id: string;
  /** Interval in ms, when scheduled so. */
  intervalMs?: number;
  /** Cron pattern, when scheduled so. */
  cron?: string;
  /** Back-to-back cycles while a condition over the last one holds, some in flight at once. */
  repeat?: { while: (scope: Record<string, unknown>) => boolean; inFlight: number };
  /** Runner params, `params` in expressions. */
  params: Record<string, unknown>;
  /** Its steps. */
  steps: PlannedStep[];
}

/** A service ready to create. */
export interface PlannedService {
  /** The service id. */
  id: string;
  /** The service it creates. */
  entry: RegistryEntry;
  /** Static params. */
  params: Record<string, unknown>;
  /** Injected name to service id. */
  injects: Record<string, string>;
  /** Where it sits in the config. */
  path: ConfigPath;
}

/** The whole config, ready to run. */
export interface Plan {
  /** Services in creation order (dependencies first). */
  services: PlannedService[];
  /** Runners. */
  runners: PlannedRunner[];
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Resolves every `use` against the registry and compiles expressions. Static params are
 * validated against the pipe's or service's schema inside its sandbox.
 *
 * @returns The plan, or the diagnostics that prevent it.
 */
export async function planConfig(
  loaded: LoadedConfig,
  registry: Registry,
  failedPrefixes: ReadonlySet<string> = new Set(),
): Promise<{ plan?: Plan; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const report = (path: ConfigPath, message: string) =>
    diagnostics.push({ ...loaded.locate(path), path: formatPath(path), message });
  const validations: Promise<void>[] = [];
  const validate = (
    entry: RegistryEntry,
    params: Record<string, unknown>,
    path: ConfigPath,
  ) => {
    const info = entry.plugin.manifest.injectables.find((i) => i.name === entry.name);
    if (!info?.hasParams) return;
    validations.push(
      entry.plugin.runtime.validate(entry.kind, entry.name, params).then((issues) => {
        for (const i of issues) {
          report([...path, ...i.path], `invalid param for ${entry.key}: ${i.message}`);
        }
      }),
    );
  };
  const lookup = (use: unknown, kind: "pipe" | "service", path: ConfigPath) => {
    if (typeof use !== "string") return undefined;
    const entry = registry.get(use);
    // A plugin that failed to load is reported once, at its entry; when its prefix is unknown
    // (its manifest was never read), any unregistered prefix may be it.
    const prefix = use.split(":")[0]!;
    if (
      !entry &&
      (failedPrefixes.has(prefix) || (failedPrefixes.has("") && !registry.pluginOf(prefix)))
    ) {
      return undefined;
    }
    if (!entry) report(path, registry.describeUnknown(use, kind));
    else if (entry.kind !== kind) report(path, `"${use}" is a ${entry.kind}, not a ${kind}`);
    else return entry;
    return undefined;
  };

  const raw = (loaded.raw ?? {}) as Partial<Config>;
  const services: PlannedService[] = [];
  (Array.isArray(raw.services) ? raw.services : []).forEach((s, i) => {
    const entry = lookup(s?.use, "service", ["services", i, "use"]);
    if (!entry || !s) return;
    const params = s.params ?? {};
    validate(entry, params, ["services", i, "params"]);
    services.push({ id: s.id, entry, params, injects: s.injects ?? {}, path: ["services", i] });
  });

  const defaultTimeout = raw.defaults?.timeout;
  const planSteps = (
    steps: unknown,
    base: ConfigPath,
    timeout: unknown,
    concurrency?: number,
  ): PlannedStep[] =>
    (Array.isArray(steps) ? steps : [steps]).map((s: StepConfig, j) => {
      const path = [...base, j];
      const pipe = lookup(s?.use, "pipe", [...path, "use"]);
      const params = s?.params ?? {};
      let compiled: CompiledValue = compileValue({});
      try {
        compiled = compileValue(params);
        if (pipe && compiled.isStatic) validate(pipe, params, [...path, "params"]);
      } catch { /* reported by checkConfig */ }
      const planned: PlannedStep = {
        id: s?.id,
        path,
        params: compiled,
        injects: s?.injects ?? {},
        timeoutMs: toMs(s?.timeout ?? timeout ?? defaultTimeout) ?? DEFAULT_TIMEOUT_MS,
        continueOnError: s?.continue_on_error === true,
        concurrency: s?.concurrency ?? concurrency ?? 1,
        steps: s?.steps
          ? planSteps(s.steps, [...path, "steps"], s.timeout ?? timeout, concurrency)
          : [],
      };
      if (pipe) planned.pipe = pipe;
      try {
        if (typeof s?.if === "string") planned.condition = compileCondition(s.if);
        if (typeof s?.for_each === "string") planned.forEach = compileValue(s.for_each);
      } catch { /* reported by checkConfig */ }
      return planned;
    });

  const runners: PlannedRunner[] = [];
  const rawRunners = raw.orchestrator?.runners;
  (Array.isArray(rawRunners) ? rawRunners : []).forEach((r, i) => {
    if (!r) return;
    const runner: PlannedRunner = {
      id: r.id,
      params: r.params ?? {},
      steps: planSteps(r.run, ["orchestrator", "runners", i, "run"], r.timeout, r.concurrency),
    };
    const interval = toMs(r.on?.interval);
    if (interval !== undefined) runner.intervalMs = interval;
    if (typeof r.on?.cron === "string") runner.cron = r.on.cron;
    if (typeof r.repeat?.while === "string") {
      try {
        runner.repeat = {
          while: compileCondition(r.repeat.while),
          inFlight: r.repeat.in_flight ?? 1,
        };
      } catch { /* reported by checkConfig */ }
    }
    runners.push(runner);
  });
  await Promise.all(validations);
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  if (diagnostics.length || loaded.diagnostics.length) return { diagnostics };
  return { plan: { services: orderServices(services), runners }, diagnostics };
}

function toMs(v: unknown): number | undefined {
  try {
    return typeof v === "string" || typeof v === "number" ? parseDuration(v) : undefined;
  } catch {
    return undefined;
  }
}

function orderServices(services: PlannedService[]): PlannedService[] {
  const byId = new Map(services.map((s) => [s.id, s]));
  const out: PlannedService[] = [];
  const seen = new Set<string>();
  const visit = (s: PlannedService) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    for (const dep of Object.values(s.injects)) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    out.push(s);
  };
  services.forEach(visit);
  return out;
}
