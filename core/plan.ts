import type { InjectableKind } from "./contract.ts";
import type {
  CompiledConfig,
  CompiledRunner,
  CompiledService,
  CompiledStep,
} from "./config/compile_config.ts";
import { type ConfigPath, formatPath } from "./config/config_path.ts";
import type { Diagnostic } from "./errors.ts";
import type { Registry, RegistryEntry } from "./registry.ts";
import { checkInjects } from "./declared_services.ts";

/** A step ready to run: a compiled step with its pipe resolved. */
export interface PlannedStep extends Omit<CompiledStep, "steps"> {
  /** The pipe it runs; undefined for a `for_each`. */
  pipe?: RegistryEntry;
  /** Sub-steps of a `for_each`. */
  steps: PlannedStep[];
}

/** A runner ready to run. */
export interface PlannedRunner extends Omit<CompiledRunner, "steps"> {
  /** Its steps. */
  steps: PlannedStep[];
}

/** A service ready to create: a checked service entry with its service resolved. */
export interface PlannedService extends CompiledService {
  /** The service it creates. */
  entry: RegistryEntry;
}

/** The whole config, ready to run. */
export interface Plan {
  /** Services in creation order (dependencies first). */
  services: PlannedService[];
  /** Runners. */
  runners: PlannedRunner[];
}

/**
 * Binds a compiled config to the registry: resolves every `use` and validates static params
 * against the pipe's or service's schema inside its sandbox.
 *
 * @param config The compiled config.
 * @param registry The loaded plugins' injectables.
 * @param failedPrefixes Prefixes of plugins that failed to load ("" when unknown): their steps
 * are not reported again.
 * @returns The plan, or the diagnostics that prevent it.
 */
export async function planConfig(
  config: CompiledConfig,
  registry: Registry,
  failedPrefixes: ReadonlySet<string> = new Set(),
): Promise<{ plan?: Plan; diagnostics: Diagnostic[] }> {
  const binder = new Binder(config, registry, failedPrefixes);
  const services = config.services.flatMap((s) => {
    const entry = binder.lookup(s.use, "service", [...s.path, "use"]);
    if (!entry) return [];
    binder.validate(entry, s.params, [...s.path, "params"]);
    binder.injects(entry, s.injects, s.path, "service entry");
    return [{ ...s, entry }];
  });
  const runners = config.runners.map((r) => ({ ...r, steps: binder.steps(r.steps) }));
  const diagnostics = await binder.done();
  if (diagnostics.length || config.diagnostics.length) return { diagnostics };
  return { plan: { services: orderServices(services), runners }, diagnostics };
}

/** One binding: lookups, the params validations in flight, and the problems found. */
class Binder {
  #config: CompiledConfig;
  #registry: Registry;
  #failedPrefixes: ReadonlySet<string>;
  #validations: Promise<void>[] = [];
  #diagnostics: Diagnostic[] = [];

  constructor(config: CompiledConfig, registry: Registry, failedPrefixes: ReadonlySet<string>) {
    this.#config = config;
    this.#registry = registry;
    this.#failedPrefixes = failedPrefixes;
  }

  steps(steps: CompiledStep[]): PlannedStep[] {
    return steps.map((s) => {
      const planned: PlannedStep = { ...s, steps: this.steps(s.steps) };
      if (s.use === undefined) return planned;
      const pipe = this.lookup(s.use, "pipe", [...s.path, "use"]);
      if (!pipe) return planned;
      planned.pipe = pipe;
      this.injects(pipe, s.injects, s.path, "step");
      if (s.params.isStatic) this.validate(pipe, s.params.render({}), [...s.path, "params"]);
      return planned;
    });
  }

  lookup(use: string, kind: InjectableKind, path: ConfigPath): RegistryEntry | undefined {
    const entry = this.#registry.get(use);
    if (entry?.kind === kind) return entry;
    if (entry) return this.#report(path, `"${use}" is a ${entry.kind}, not a ${kind}`);
    // A plugin that failed to load is reported once, at its entry; when its prefix is unknown
    // (its manifest was never read), any unregistered prefix may be it.
    const prefix = use.split(":")[0]!;
    const failed = this.#failedPrefixes.has(prefix) ||
      (this.#failedPrefixes.has("") && !this.#registry.pluginOf(prefix));
    if (!failed) {
      this.#report(path, this.#disabled(prefix) ?? this.#registry.describeUnknown(use, kind));
    }
    return undefined;
  }

  /** Why an unregistered prefix may belong to a plugin the config lists with `enabled: false`. */
  #disabled(prefix: string): string | undefined {
    if (this.#registry.pluginOf(prefix)) return undefined;
    const off = this.#config.plugins.flatMap((p, i) =>
      p.entry?.enabled === false && (p.entry.as === undefined || p.entry.as === prefix)
        ? [{ i, entry: p.entry }]
        : []
    );
    const named = off.find((o) => o.entry.as === prefix) ?? (off.length === 1 ? off[0] : undefined);
    if (!named) return undefined;
    const at = this.#config.locate(["plugins", named.i, "enabled"]);
    return `"${prefix}" is not registered: plugins[${named.i}] (${named.entry.from}) is disabled ` +
      `(enabled: false at ${at.file}:${at.line}); enable it, or remove the steps that use it`;
  }

  /** Reports what an entry injects that its pipe or service does not declare, and the reverse. */
  injects(
    entry: RegistryEntry,
    injects: Record<string, string>,
    path: ConfigPath,
    what: "step" | "service entry",
  ): void {
    const info = entry.plugin.manifest.injectables.find((i) => i.name === entry.name);
    for (const p of checkInjects(entry.key, info?.services, injects, what)) {
      const at = p.name !== undefined
        ? [...path, "injects", p.name]
        : Object.keys(injects).length
        ? [...path, "injects"]
        : [...path, "use"];
      this.#report(at, p.message);
    }
  }

  validate(entry: RegistryEntry, params: unknown, path: ConfigPath): void {
    const info = entry.plugin.manifest.injectables.find((i) => i.name === entry.name);
    if (!info?.hasParams) return;
    this.#validations.push(
      entry.plugin.runtime.validate(entry.kind, entry.name, params).then((issues) => {
        for (const i of issues) {
          this.#report([...path, ...i.path], `invalid param for ${entry.key}: ${i.message}`);
        }
      }),
    );
  }

  async done(): Promise<Diagnostic[]> {
    await Promise.all(this.#validations);
    return this.#diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  #report(path: ConfigPath, message: string): undefined {
    this.#diagnostics.push({ ...this.#config.locate(path), path: formatPath(path), message });
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
