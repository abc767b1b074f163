import semver from "semver";
import { Cron } from "croner";
import { API_VERSION } from "../api_version.ts";
import type { Diagnostic } from "../errors.ts";
import { compileCondition, compileValue, templateSources } from "../expression.ts";
import { didYouMean } from "../_suggest.ts";
import type { ConfigPath, ParsedYaml } from "./_yaml.ts";
import { formatPath } from "./_schema_issues.ts";

type Raw = Record<string, unknown>;

/**
 * Checks what a schema cannot: duplicate ids, references between services and steps, injection
 * cycles, expressions and schedules. Works on raw data so every problem is found at once, even
 * beside schema errors.
 */
export function checkConfig(yaml: ParsedYaml): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: ConfigPath, message: string) =>
    out.push({ ...yaml.locate(path), path: formatPath(path), message });
  const root = record(yaml.data);
  if (!root) return out;

  if (typeof root.otai === "string") {
    const range = semver.validRange(root.otai);
    if (!range) report(["otai"], `"${root.otai}" is not a semver range; write e.g. "^1.0"`);
    else if (!semver.satisfies(API_VERSION, range)) {
      report(
        ["otai"],
        `this config targets otai API "${root.otai}", but this otai implements ${API_VERSION}; ` +
          "use an otai release that matches, or update the config",
      );
    }
  }

  list(root.plugins).forEach((p, i) => {
    if (!p) return;
    if (p.isolation === "none" && p.trusted !== true) {
      report(
        ["plugins", i, "isolation"],
        "isolation: none runs the plugin unconfined in the host; add trusted: true if you " +
          "vouch for it, or use worker or process",
      );
    }
    if (record(p.limits)?.memory_mb !== undefined && p.isolation !== "process") {
      report(
        ["plugins", i, "limits", "memory_mb"],
        "a memory limit needs isolation: process (Workers share the host's heap)",
      );
    }
  });

  const services = list(root.services);
  const serviceIds = new Set<string>();
  const edges = new Map<string, string[]>();
  services.forEach((s, i) => {
    const id = s && typeof s.id === "string" ? s.id : undefined;
    if (!s || !id) return;
    if (serviceIds.has(id)) report(["services", i, "id"], `duplicate service id "${id}"`);
    serviceIds.add(id);
    edges.set(id, Object.values(record(s.injects) ?? {}).filter((v) => typeof v === "string"));
    if (containsTemplate(s.params)) {
      report(
        ["services", i, "params"],
        "service params cannot hold ${{ }} expressions (they are evaluated per step); " +
          "use ${ENV_VAR} or a literal value",
      );
    }
  });
  services.forEach((s, i) => checkInjects(s?.injects, ["services", i, "injects"]));
  const cycle = findCycle(edges);
  if (cycle) {
    const i = services.findIndex((s) => s?.id === cycle[0]);
    report(
      ["services", i, "injects"],
      `services inject each other in a cycle: ${cycle.join(" -> ")}; break the cycle`,
    );
  }

  const runners = list(record(root.orchestrator)?.runners);
  const runnerIds = new Set<string>();
  runners.forEach((r, i) => {
    if (!r) return;
    if (typeof r.id === "string") {
      if (runnerIds.has(r.id)) report(["orchestrator", "runners", i, "id"], `duplicate runner id`);
      runnerIds.add(r.id);
    }
    checkSchedule(r.on, ["orchestrator", "runners", i, "on"]);
    const repeat = record(r.repeat);
    if (repeat && r.on !== undefined) {
      report(
        ["orchestrator", "runners", i, "repeat"],
        "give either on (a schedule) or repeat, not both",
      );
    }
    if (typeof repeat?.while === "string") {
      compile(
        ["orchestrator", "runners", i, "repeat", "while"],
        () => compileCondition(repeat.while as string),
      );
    }
    const run = r.run;
    const base: ConfigPath = ["orchestrator", "runners", i, "run"];
    checkSteps(Array.isArray(run) ? run : [run], base);
  });
  return out;

  function checkInjects(injects: unknown, path: ConfigPath) {
    for (const [key, target] of Object.entries(record(injects) ?? {})) {
      if (typeof target === "string" && !serviceIds.has(target)) {
        report(
          [...path, key],
          `no service with id "${target}"${didYouMean(target, serviceIds)}` +
            (serviceIds.size
              ? `; services: ${[...serviceIds].join(", ")}`
              : "; add it under services"),
        );
      }
    }
  }

  function checkSchedule(on: unknown, path: ConfigPath) {
    const o = record(on);
    if (!o) return;
    if (("interval" in o) === ("cron" in o)) {
      report(path, "give exactly one of interval or cron");
    }
    if (typeof o.cron === "string") {
      try {
        new Cron(o.cron, { paused: true }).stop();
      } catch (e) {
        report([...path, "cron"], `invalid cron pattern "${o.cron}": ${(e as Error).message}`);
      }
    }
  }

  function checkSteps(steps: unknown[], base: ConfigPath) {
    const ids = new Set<string>();
    steps.forEach((raw, j) => {
      const s = record(raw);
      if (!s) return;
      const path = [...base, j];
      if (typeof s.id === "string") {
        if (ids.has(s.id)) {
          report([...path, "id"], `duplicate step id "${s.id}" in this list; ids must be unique`);
        }
        ids.add(s.id);
      }
      const loop = s.for_each !== undefined || s.steps !== undefined;
      if (s.use !== undefined && loop) {
        report(path, "a step has either use (a pipe) or for_each with steps, not both");
      } else if (s.use === undefined && !loop) {
        report(path, 'missing "use": name the pipe to run as "prefix:Name"');
      } else if (loop && (s.for_each === undefined || s.steps === undefined)) {
        report(path, "a for_each step needs both for_each and steps");
      }
      if (s.concurrency !== undefined && !loop) {
        report([...path, "concurrency"], "concurrency applies to for_each steps only");
      }
      checkInjects(s.injects, [...path, "injects"]);
      if (typeof s.if === "string") {
        compile([...path, "if"], () => compileCondition(s.if as string));
      }
      if (typeof s.for_each === "string") {
        const sources = templateSources(s.for_each);
        if (sources.length !== 1 || !/^\s*\$\{\{[\s\S]*\}\}\s*$/.test(s.for_each)) {
          report(
            [...path, "for_each"],
            'write for_each as one expression: "${{ steps.x.data.items }}"',
          );
        } else compile([...path, "for_each"], () => compileValue(s.for_each));
      }
      checkTemplates(s.params, [...path, "params"]);
      if (Array.isArray(s.steps)) checkSteps(s.steps, [...path, "steps"]);
    });
  }

  function checkTemplates(value: unknown, path: ConfigPath) {
    if (typeof value === "string") compile(path, () => compileValue(value));
    else if (Array.isArray(value)) value.forEach((v, i) => checkTemplates(v, [...path, i]));
    else if (record(value)) {
      for (const [k, v] of Object.entries(value as Raw)) checkTemplates(v, [...path, k]);
    }
  }

  function compile(path: ConfigPath, fn: () => unknown) {
    try {
      fn();
    } catch (e) {
      report(path, `${(e as Error).message}; see the CEL language definition for the syntax`);
    }
  }
}

function containsTemplate(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${{");
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (record(value)) return Object.values(value as Raw).some(containsTemplate);
  return false;
}

function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of edges.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

function record(v: unknown): Raw | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v as Raw : undefined;
}

function list(v: unknown): (Raw | undefined)[] {
  return Array.isArray(v) ? v.map(record) : [];
}
