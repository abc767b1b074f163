import { didYouMean } from "../_suggest.ts";
import type { ConfigPath } from "./config_path.ts";

/** What the checks across entries need of one entry (parsed, or read leniently when invalid). */
export interface EntryRefs {
  /** Where the entry sits. */
  path: ConfigPath;
  /** Its id, when it has a readable one. */
  id?: string | undefined;
  /** Its `injects`, when readable. */
  injects?: Record<string, unknown> | undefined;
}

/** The entries of a config, grouped as the checks across entries see them. */
export interface ConfigRefs {
  /** Entries under `services:`. */
  services: EntryRefs[];
  /** Entries under `orchestrator.runners`. */
  runners: EntryRefs[];
  /** Each list of steps (a runner's `run`, a `for_each`'s `steps`). */
  stepLists: EntryRefs[][];
}

/**
 * Checks what no single entry can: unique ids, that every injected service exists, and that
 * services do not inject each other in a cycle.
 *
 * @param refs The entries.
 * @param report Records a problem at a path.
 */
export function crossCheck(
  refs: ConfigRefs,
  report: (path: ConfigPath, message: string) => void,
): void {
  const serviceIds = new Set<string>();
  const edges = new Map<string, string[]>();
  for (const s of refs.services) {
    if (!s.id) continue;
    if (serviceIds.has(s.id)) report([...s.path, "id"], `duplicate service id "${s.id}"`);
    serviceIds.add(s.id);
    edges.set(s.id, Object.values(s.injects ?? {}).filter((v) => typeof v === "string"));
  }
  const checkInjects = (e: EntryRefs) => {
    for (const [key, target] of Object.entries(e.injects ?? {})) {
      if (typeof target !== "string" || serviceIds.has(target)) continue;
      report(
        [...e.path, "injects", key],
        `no service with id "${target}"${didYouMean(target, serviceIds)}` +
          (serviceIds.size
            ? `; services: ${[...serviceIds].join(", ")}`
            : "; add it under services"),
      );
    }
  };
  refs.services.forEach(checkInjects);
  const cycle = findCycle(edges);
  if (cycle) {
    const first = refs.services.find((s) => s.id === cycle[0])!;
    report(
      [...first.path, "injects"],
      `services inject each other in a cycle: ${cycle.join(" -> ")}; break the cycle`,
    );
  }
  const runnerIds = new Set<string>();
  for (const r of refs.runners) {
    if (!r.id) continue;
    if (runnerIds.has(r.id)) report([...r.path, "id"], "duplicate runner id");
    runnerIds.add(r.id);
  }
  for (const list of refs.stepLists) {
    const ids = new Set<string>();
    for (const s of list) {
      checkInjects(s);
      if (!s.id) continue;
      if (ids.has(s.id)) {
        report([...s.path, "id"], `duplicate step id "${s.id}" in this list; ids must be unique`);
      }
      ids.add(s.id);
    }
  }
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
