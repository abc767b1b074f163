/**
 * Class 4: one process, shared state. Worker sandboxes share the host's process: its working
 * directory, file descriptors, environment, signals, storage and broadcast channels. Each attack
 * runs in both modes; in `process` mode most of it cannot reach anything shared at all.
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";
import { attack, config, type WallCase } from "./_case.ts";
import { FORGED, resultsDoc, stepIn } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

/** Plants a decoy tree: a relative `granted/data.txt` there holds the token, not "genuine". */
async function plantDecoy(w: Wall): Promise<string> {
  await w.plant("decoy/granted/data.txt", `${w.token}\n`);
  return w.path("decoy");
}

/** The reader, granted `./granted`, reads `granted/data.txt` by its relative path. */
const READ_RELATIVE = {
  id: "read",
  use: "wall-reader:ReadText",
  params: { path: "granted/data.txt" },
};

function readerEntry(w: Wall) {
  return { from: w.plugin("reader"), permissions: { read: [w.path("granted")] } };
}

/** The reader still read the genuine file by its relative path. */
function readGenuine(w: Wall): void {
  const s = stepIn(resultsDoc(w.runs[0]!), "read");
  strictEqual(s.status, "succeeded", `the reader lost its relative path: ${JSON.stringify(s)}`);
  strictEqual((s.data as { text: string }).text, "genuine\n", "the reader read another file");
}

/** Stdout holds only otai's document: nothing a plugin printed. */
function stdoutOnlyDoc(w: Wall): void {
  for (const run of w.runs) {
    ok(!run.stdout.includes(FORGED), `${run.label}: a plugin wrote into stdout: ${run.stdout}`);
    const doc = resultsDoc(run) as unknown as Record<string, unknown>;
    ok(!("forged" in doc), `${run.label}: stdout is a forged document`);
  }
}

/** The attacks on state a sandbox shares with the host or with other plugins. */
export const SHARED_CASES: readonly WallCase[] = [
  {
    name: "chdir_then_other_plugin_reads_relative",
    async config(w) {
      const to = await plantDecoy(w);
      return config(w, {
        plugins: [{ from: w.plugin("chdir") }, readerEntry(w)],
        steps: [attack("wall-chdir:Attack", { to }), READ_RELATIVE],
      });
    },
    check: readGenuine,
  },
  {
    name: "broadcast_channel_between_plugins",
    async config(w) {
      await w.plant("a_only/secret.txt", `${w.token}\n`);
      return config(w, {
        plugins: [
          { from: w.plugin("broadcast"), permissions: { read: [w.path("a_only")] } },
          { from: w.plugin("listener") },
        ],
        steps: [
          attack("wall-broadcast:Attack", { path: w.path("a_only/secret.txt") }),
          { id: "heard", use: "wall-listener:Heard" },
        ],
      });
    },
  },
  {
    name: "console_and_deno_stdout_fake_document",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("stdout_console") }],
        steps: [attack("wall-stdout-console:Attack")],
      }),
    check: stdoutOnlyDoc,
  },
  {
    name: "fd1_and_node_stdout_fake_document",
    // A Worker shares otai's stdio file descriptors (README, Security model): process only.
    modes: ["process"],
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("stdout_fd") }],
        steps: [attack("wall-stdout-fd:Attack")],
      }),
    check: stdoutOnlyDoc,
  },
  {
    name: "fd2_forged_log_record",
    // A Worker shares otai's stdio file descriptors (README, Security model): process only.
    modes: ["process"],
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("stderr_fd") }],
        steps: [attack("wall-stderr-fd:Attack")],
      }),
  },
  {
    name: "stdin_read",
    // A Worker shares otai's stdio file descriptors (README, Security model): process only.
    modes: ["process"],
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("stdin_read") }],
        steps: [attack("wall-stdin-read:Attack")],
      }),
    async drive(w) {
      await w.run({ stdin: `the token is ${w.token}\n` });
    },
  },
  {
    name: "storage_between_plugins",
    async config(w) {
      await w.plant("a_only/secret.txt", `${w.token}\n`);
      return config(w, {
        plugins: [
          { from: w.plugin("storage"), permissions: { read: [w.path("a_only")] } },
          { from: w.plugin("listener") },
        ],
        steps: [
          attack("wall-storage:Put", { path: w.path("a_only/secret.txt") }),
          { id: "look", use: "wall-listener:Look" },
        ],
      });
    },
  },
  {
    name: "storage_across_runs",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("storage"), permissions: { read: [w.path("granted")] } }],
        steps: [attack("wall-storage:Put", { value: `kept-${w.token.slice(0, 8)}-across-runs` })],
      }),
    async drive(w) {
      await w.run();
      await w.write(
        "config.yml",
        config(w, {
          plugins: [{ from: w.plugin("storage"), permissions: { read: [w.path("granted")] } }],
          steps: [{ id: "get", use: "wall-storage:Get" }],
        }),
      );
      await w.run();
    },
    check(w) {
      const kept = `kept-${w.token.slice(0, 8)}-across-runs`;
      const got = JSON.stringify(stepIn(resultsDoc(w.runs[1]!), "get").data);
      ok(!got.includes(kept), `the second run found what the first one stored: ${got}`);
    },
  },
  {
    name: "env_set_seen_by_other_plugin",
    config(w) {
      w.env.WALL_SHARED = `original-${crypto.randomUUID()}`;
      return config(w, {
        plugins: [
          { from: w.plugin("env_set"), permissions: { env: ["WALL_SHARED"] } },
          { from: w.plugin("env_reader"), permissions: { env: ["WALL_SHARED"] } },
        ],
        steps: [
          attack("wall-env-set:Attack", { name: "WALL_SHARED", value: "wall-pwned-value" }),
          { id: "read", use: "wall-env-reader:GetEnv", params: { name: "WALL_SHARED" } },
        ],
      });
    },
    check(w) {
      const s = stepIn(resultsDoc(w.runs[0]!), "read");
      ok(
        !JSON.stringify(s).includes("wall-pwned-value"),
        `another plugin saw the variable the attacker set: ${JSON.stringify(s)}`,
      );
    },
  },
  {
    name: "signal_listeners_hold_up_shutdown",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("signal_listener") }],
        runner: { on: { interval: "1h" } },
        steps: [attack("wall-signal-listener:Attack")],
      }),
    async drive(w) {
      await w.run({
        timeoutMs: 20_000,
        stopWhen: () => Deno.stat(w.path("otai.status.json")).then(() => true, () => false),
      });
    },
    check(w) {
      const run = w.runs[0]!;
      ok(
        !run.stdout.includes("WALL-SIGNAL-HEARD") && !run.stderr.includes("WALL-SIGNAL-HEARD"),
        `a plugin's signal listener ran: ${run.stderr.slice(-500)}`,
      );
    },
  },
  {
    name: "nested_worker_fd_chdir_broadcast",
    // A Worker shares otai's stdio file descriptors (README, Security model): process only.
    modes: ["process"],
    async config(w) {
      const to = await plantDecoy(w);
      return config(w, {
        plugins: [{ from: w.plugin("nested_worker_fd") }, readerEntry(w), {
          from: w.plugin("listener"),
        }],
        steps: [
          attack("wall-nested-worker-fd:Attack", { to }),
          READ_RELATIVE,
          { id: "heard", use: "wall-listener:Heard" },
        ],
      });
    },
    check(w) {
      stdoutOnlyDoc(w);
      readGenuine(w);
      const heard = stepIn(resultsDoc(w.runs[0]!), "heard").data as { heard: unknown[] };
      strictEqual(heard.heard.length, 0, `a broadcast crossed plugins: ${JSON.stringify(heard)}`);
    },
  },
  {
    name: "nested_worker_from_original_worker_class",
    // A Worker shares otai's stdio file descriptors (README, Security model): process only.
    modes: ["process"],
    async config(w) {
      const to = await plantDecoy(w);
      return config(w, {
        plugins: [{ from: w.plugin("nested_worker_unguarded") }, readerEntry(w)],
        steps: [attack("wall-nested-worker-unguarded:Attack", { to }), READ_RELATIVE],
      });
    },
    check(w) {
      stdoutOnlyDoc(w);
      readGenuine(w);
    },
  },
  {
    name: "nested_worker_asks_for_more_permissions",
    config: (w) =>
      config(w, {
        plugins: [{
          from: w.plugin("nested_worker_escalate"),
          permissions: { read: [w.path("granted")] },
        }],
        steps: [attack("wall-nested-worker-escalate:Attack", {
          path: w.path("outside/canary.txt"),
          url: `${w.canary.url}/nested?leak=1`,
          name: "WALL_CANARY_ENV",
        })],
      }),
  },
];
