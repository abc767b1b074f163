/**
 * An attack of the wall suite, how its config is written, and how a table of them runs: every
 * (attack, mode) in a fresh world, a few at a time, then one `t.step` each that checks the
 * canaries and the host, and whatever the attack adds.
 *
 * @module
 */
import { fail } from "node:assert/strict";
import { assertContained, assertHostStands } from "./_assert.ts";
import { type Expect, type Mode, Wall } from "./_wall.ts";

/** One attack. */
export interface WallCase {
  /** snake_case name; the step is named `<name> (<mode>)`. */
  name: string;
  /** The modes it runs in; default both. */
  modes?: readonly Mode[];
  /** How each run must end; default "run" (the results document, the bystander step passed). */
  expect?: Expect | ((mode: Mode) => Expect);
  /** What a refusal must name; default any `wall-` plugin. */
  refusing?: RegExp;
  /** Time limit of each otai run; default 30 s. */
  timeoutMs?: number;
  /** Writes the files the attack needs and returns the config text. */
  config(w: Wall): string | Promise<string>;
  /** Runs otai; default once, `run config.yml --json --log-level debug`. */
  drive?(w: Wall): Promise<unknown>;
  /** Checks what only this attack can show, after the common checks. */
  check?(w: Wall, t: Deno.TestContext): void | Promise<void>;
}

/** A plugin entry of a config: `isolation` is the wall's mode unless the entry says otherwise. */
export interface Entry {
  from: string;
  as?: string;
  permissions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The step the bystander runs after every attack; it must succeed. */
export const AFTER = { id: "after", use: "wall-bystander:Echo", params: { still: "standing" } };

/**
 * A config: the given plugins in the wall's mode, then the bystander; the steps run as runner
 * `main` followed by {@linkcode AFTER}. Each value is written as JSON (YAML reads it as is), one
 * plugin entry a line, so a refusal can name its line.
 */
export function config(
  w: Wall,
  parts: {
    plugins: Entry[];
    steps: unknown[];
    services?: unknown[];
    defaults?: Record<string, unknown>;
    runner?: Record<string, unknown>;
    runners?: unknown[];
  },
): string {
  const bystander: Entry = { from: w.plugin("bystander") };
  const plugins = [...parts.plugins, bystander].map((p) => ({ isolation: w.mode, ...p }));
  const main = { id: "main", ...parts.runner, run: [...parts.steps, AFTER] };
  let text = "plugins:\n" + plugins.map((p) => `  - ${JSON.stringify(p)}\n`).join("");
  if (parts.services?.length) {
    text += "services:\n" + parts.services.map((s) => `  - ${JSON.stringify(s)}\n`).join("");
  }
  if (parts.defaults) text += `defaults: ${JSON.stringify(parts.defaults)}\n`;
  text += "orchestrator:\n  runners:\n";
  for (const r of [main, ...(parts.runners ?? [])]) text += `    - ${JSON.stringify(r)}\n`;
  return text;
}

/** An attack step: it may fail, the runner goes on to the bystander. */
export function attack(use: string, params?: unknown, more: Record<string, unknown> = {}): unknown {
  return {
    id: "attack",
    use,
    ...(params === undefined ? {} : { params }),
    continue_on_error: true,
    timeout: "10s",
    ...more,
  };
}

/** How many worlds run at once (`WALL_CONCURRENCY`); each is mostly a Deno process starting. */
const CONCURRENCY = Number(Deno.env.get("WALL_CONCURRENCY") ?? 4);

/** A folder to write every run's output to (`WALL_TRACE=/tmp/wall`), for reading failures. */
const TRACE = Deno.env.get("WALL_TRACE");

async function trace(dir: string, name: string, w: Wall): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const text = w.runs.map((r) =>
    `## otai ${r.args.join(" ")}: exit ${r.code} in ${r.ms} ms${r.timedOut ? " (killed)" : ""}\n` +
    `### stdout\n${r.stdout}\n### stderr\n${r.stderr}\n`
  ).join("\n");
  await Deno.writeTextFile(
    `${dir}/${name}.txt`,
    `${await Deno.readTextFile(w.path("config.yml"))}\n${text}`,
  );
}

/** Runs every (case, mode) of a table, a few at a time, then checks each in its own step. */
export async function runWall(t: Deno.TestContext, cases: readonly WallCase[]): Promise<void> {
  const tasks = cases.flatMap((c) =>
    (c.modes ?? ["worker", "process"] as const).map((mode) => ({ c, mode }))
  );
  const done = new Map<number, { w: Wall; error?: unknown }>();
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const { c, mode } = tasks[i]!;
      const expect = typeof c.expect === "function" ? c.expect(mode) : c.expect ?? "run";
      const w = await Wall.open(mode, expect, c.timeoutMs);
      try {
        await w.write("config.yml", await c.config(w));
        if (c.drive) await c.drive(w);
        else await w.run();
        done.set(i, { w });
      } catch (error) {
        done.set(i, { w, error });
      }
      if (TRACE) await trace(TRACE, `${c.name}-${mode}`, w);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  try {
    for (const [i, { c, mode }] of tasks.entries()) {
      const { w, error } = done.get(i)!;
      await t.step(`${c.name} (${mode})`, async (t) => {
        if (error) throw error;
        // Every check runs, so that a failure reports all that the attack achieved.
        const problems: string[] = [];
        const checks = [
          () => assertContained(w),
          () => assertHostStands(w, c.refusing ?? /wall-/),
          () => c.check?.(w, t),
        ];
        for (const check of checks) {
          try {
            await check();
          } catch (e) {
            problems.push(e instanceof Error ? e.message : String(e));
          }
        }
        if (problems.length) fail(problems.join("\n-- and --\n"));
      });
    }
  } finally {
    for (const { w } of done.values()) await w[Symbol.asyncDispose]();
  }
}
