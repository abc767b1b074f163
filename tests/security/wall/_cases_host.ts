/**
 * Class 5: the host trusts the sandbox. What a plugin returns, posts or writes on its transport,
 * how it dies and what it says while dying must not fool or harm the host.
 *
 * @module
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { attack, config, type WallCase } from "./_case.ts";
import { FORGED, pluginIn, resultsDoc, stepIn } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

/** The kinds `return_exotic.ts` returns, with the key each puts its value under. */
const EXOTIC: Record<string, string> = {
  Date: "wall_date",
  Map: "wall_map",
  Set: "wall_set",
  NaN: "wall_nan",
  Infinity: "wall_infinity",
  Cycle: "wall_cycle",
  Getter: "wall_getter",
  Instance: "wall_instance",
  Prototype: "wall_prototype",
  TypedArray: "wall_bytes",
  HugeString: "wall_huge",
};

/**
 * A reason shown for a plugin's death is otai's own; where it shows the plugin's own words, it
 * says so and quotes them (an opening quote after "plugin", before the forged text).
 */
function reasonNotForged(text: string | undefined, where: string): void {
  if (!text?.includes(FORGED)) return;
  const before = text.slice(0, text.indexOf(FORGED));
  const attributed = before.slice(before.search(/plugin/i));
  ok(
    /plugin/i.test(before) && /["“'«]/.test(attributed),
    `${where} presents the plugin's own words as the reason, unquoted: ${JSON.stringify(text)}`,
  );
}

/** Every reason otai gives for the attacker's failure: the step's error and its lastError. */
function reasons(w: Wall, prefix: string): { where: string; text: string | undefined }[] {
  const doc = resultsDoc(w.runs[0]!);
  const step = stepIn(doc, "attack");
  return [
    { where: "the attack step's error", text: step.error },
    { where: `the lastError of ${prefix}`, text: pluginIn(doc, prefix).lastError },
  ];
}

/** The attacks on the host's trust in what crosses the boundary. */
export const HOST_CASES: readonly WallCase[] = [
  {
    name: "return_values_that_are_not_plain_data",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("return_exotic"), limits: { result_mb: 1 } }],
        steps: Object.keys(EXOTIC).map((kind) => ({
          id: `return_${kind.toLowerCase()}`,
          use: `wall-return-exotic:${kind}`,
          continue_on_error: true,
        })),
      }),
    async check(w, t) {
      const doc = resultsDoc(w.runs[0]!);
      for (const [kind, key] of Object.entries(EXOTIC)) {
        await t.step(kind, () => {
          const s = stepIn(doc, `return_${kind.toLowerCase()}`);
          strictEqual(s.status, "failed", `${kind} crossed the boundary: ${JSON.stringify(s)}`);
          if (kind === "HugeString") match(s.error!, /MB/, "the error names the size limit");
          else if (kind !== "Getter") {
            ok(s.error!.includes(key), `the error names where the value is: ${s.error}`);
          }
        });
      }
    },
  },
  {
    name: "forged_service_calls_with_guessed_ids",
    // A Worker shares otai's stdio file descriptors (README, Security model): process only.
    modes: ["process"],
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("forge_call") }, { from: w.fixture("store") }],
        services: [{ id: "kv", use: "store:Kv" }],
        steps: [
          attack("wall-forge-call:Attack", { instances: ["kv", "store:Kv", "0", "1", "svc:kv"] }),
          {
            id: "count",
            use: "wall-bystander:Call",
            injects: { kv: "kv" },
            params: { service: "kv", method: "calls" },
          },
        ],
      }),
    check(w) {
      const count = stepIn(resultsDoc(w.runs[0]!), "count");
      strictEqual(count.status, "succeeded", JSON.stringify(count));
      strictEqual((count.data as { value: number }).value, 0, "a forged call reached the service");
    },
  },
  {
    name: "close_stdin_stdout_stderr",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("close_stdio") }],
        steps: [
          attack("wall-close-stdio:Attack"),
          { id: "ping", use: "wall-close-stdio:Ping", continue_on_error: true, timeout: "10s" },
        ],
      }),
  },
  {
    name: "fake_crash_reason_on_stderr",
    // A Worker shares otai's stderr file descriptor (README, Security model): process only.
    modes: ["process"],
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("fake_crash") }],
        steps: [attack("wall-fake-crash:Attack", undefined, { timeout: "3s" })],
      }),
    async drive(w) {
      await w.run();
      await w.otai(["run", "config.yml", "--log-level", "debug"]);
    },
    check(w) {
      for (const r of reasons(w, "wall-fake-crash")) reasonNotForged(r.text, r.where);
      for (const line of w.runs[1]!.stdout.split("\n")) {
        if (line.includes(FORGED)) reasonNotForged(line, "the summary table");
      }
    },
  },
  {
    name: "fake_out_of_memory_reason",
    config: (w) =>
      config(w, {
        plugins: [{
          from: w.plugin("fake_oom"),
          ...(w.mode === "process" ? { limits: { memory_mb: 64 } } : {}),
        }],
        steps: [attack("wall-fake-oom:Attack", undefined, { timeout: "3s" })],
      }),
    check(w) {
      for (const r of reasons(w, "wall-fake-oom")) {
        ok(
          !/exceeded (its |the )?memory limit/i.test(r.text ?? ""),
          `${r.where} believes the plugin's claim that it ran out of memory: ${r.text}`,
        );
      }
    },
  },
  {
    name: "array_buffers_beyond_memory_limit",
    timeoutMs: 60_000,
    expect: (mode) => (mode === "worker" ? "none" : "run"),
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("oom_buffers"), limits: { memory_mb: 64 } }],
        steps: [attack("wall-oom-buffers:Attack", { mb: 1536 }, { timeout: "30s" })],
      }),
    async drive(w) {
      if (w.mode === "process") await w.run();
      else await w.otai(["check", "config.yml", "--json"]);
    },
    check(w) {
      const run = w.runs[0]!;
      if (w.mode === "worker") {
        strictEqual(
          run.code,
          2,
          `memory_mb under isolation: worker must be refused: ${run.stdout}`,
        );
        match(run.stdout + run.stderr, /memory_mb|memory limit/, "the refusal says why");
        return;
      }
      const doc = resultsDoc(run);
      const s = stepIn(doc, "attack");
      strictEqual(s.status, "failed", `the plugin held 1.5 GB under a 64 MB limit: ${s.error}`);
      const health = pluginIn(doc, "wall-oom-buffers");
      // Contained either way: the allocation is refused inside the sandbox, or the sandbox is
      // stopped for its memory. Which one happens depends on where the cap bites first.
      match(
        `${s.error} ${health.lastError ?? ""}`,
        /memory|allocation failed/i,
        `neither refused the allocation nor stopped the sandbox: ${JSON.stringify({ s, health })}`,
      );
    },
  },
];
