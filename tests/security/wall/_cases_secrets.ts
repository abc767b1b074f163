/**
 * Class 8: secrets. Values from `${VAR}` in the config and of variables granted to a plugin (by
 * name, by `PREFIX_*`, by `env: true`) must appear nowhere: not in stdout, stderr, the results
 * document, logs at debug (text and JSON), otai.status.json, `otai check`, `otai plugins list`,
 * nor in what a later plugin learns of earlier steps. The values hold `"`, `\`, `'` and
 * newlines, and one is long enough to be cut short in the summary table.
 *
 * @module
 */
import { attack, config, type WallCase } from "./_case.ts";
import { fail, ok } from "node:assert/strict";
import type { Loopback } from "./_loopback.ts";
import type { Wall } from "./_wall.ts";

/** A secret with a quote, a backslash and an apostrophe. */
function tricky(label: string): string {
  return `wall"${label}\\se'cret-${crypto.randomUUID()}`;
}

/** A secret across two lines. */
function twoLines(): string {
  return `wall-line-one\nline-two-${crypto.randomUUID()}`;
}

/** A secret longer than a row of the summary table. */
function long(): string {
  return `wall-long-${Array.from({ length: 10 }, () => crypto.randomUUID()).join("")}`;
}

/** Runs for the document with JSON log lines, and for the summary table with text logs. */
async function everyOutput(w: Wall): Promise<void> {
  await w.otai(["run", "config.yml", "--json", "--log-level", "debug", "--log-format", "json"]);
  await w.otai(["run", "config.yml", "--log-level", "debug"]);
}

/** The steps through which a careless plugin echoes `${WALL_SECRET}`. */
function echoing(w: Wall): string {
  return config(w, {
    plugins: [{ from: w.plugin("echo_secret") }],
    steps: [
      attack("wall-echo-secret:Echo", { key: "${WALL_SECRET}" }),
      { id: "props", use: "wall-echo-secret:LogProps", params: { key: "${WALL_SECRET}" } },
      {
        id: "throw",
        use: "wall-echo-secret:Throw",
        params: { key: "${WALL_SECRET}" },
        continue_on_error: true,
      },
    ],
  });
}

/** No secret of the wall reached a server (a plugin's own, granted host). */
function notSent(w: Wall, server: Loopback): void {
  for (const s of w.secrets) {
    for (const form of [s.value, JSON.stringify(s.value).slice(1, -1)]) {
      const hit = server.hits.find((h) => h.text.includes(form));
      if (hit) fail(`${s.what} was sent to the plugin's host: ${JSON.stringify(hit.text)}`);
    }
  }
}

/** Steps where the first fails with the secret and a second plugin sends what it sees. */
function exfil(w: Wall, seen: boolean): { text: string; server: Loopback } {
  const server = w.server({ "/steps": "ok" });
  const text = config(w, {
    plugins: [
      { from: w.plugin("echo_secret") },
      { from: w.plugin("steps_exfil"), permissions: { net: [server.host] } },
    ],
    steps: [
      attack("wall-echo-secret:Throw", { key: "${WALL_SECRET}" }, { id: "leak" }),
      attack("wall-steps-exfil:Attack", {
        url: `${server.url}/steps`,
        ...(seen ? { seen: "${{ steps.leak.error }}" } : {}),
      }),
    ],
  });
  return { text, server };
}

/** The granted host of each wall's exfiltrating plugin. */
const exfilServer = new WeakMap<Wall, Loopback>();

/** The attacks on secrets. */
export const SECRET_CASES: readonly WallCase[] = [
  {
    name: "secret_with_quote_and_backslash",
    config(w) {
      w.secret("WALL_SECRET", tricky("q"));
      return echoing(w);
    },
    drive: everyOutput,
  },
  {
    name: "secret_with_newline",
    config(w) {
      w.secret("WALL_SECRET", twoLines());
      return echoing(w);
    },
    drive: everyOutput,
  },
  {
    name: "long_secret_cut_in_summary_table",
    config(w) {
      w.secret("WALL_SECRET", long(), { windows: 24 });
      return echoing(w);
    },
    drive: everyOutput,
  },
  {
    name: "secret_granted_by_prefix_pattern",
    config(w) {
      w.secret("WALL_PFX_TOKEN", tricky("p"));
      return config(w, {
        plugins: [{ from: w.plugin("env_secret"), permissions: { env: ["WALL_PFX_*"] } }],
        steps: [
          attack("wall-env-secret:Attack", { name: "WALL_PFX_TOKEN" }),
          attack("wall-env-secret:Attack", { name: "WALL_PFX_TOKEN" }, { id: "throw" }),
        ],
      });
    },
    drive: everyOutput,
  },
  {
    name: "secret_granted_by_env_true",
    config(w) {
      w.secret("WALL_ALL_SECRET", tricky("a"));
      return config(w, {
        plugins: [{ from: w.plugin("env_secret"), permissions: { env: true } }],
        steps: [
          attack("wall-env-secret:Attack", { name: "WALL_ALL_SECRET" }),
          attack("wall-env-secret:Attack", { name: "WALL_ALL_SECRET" }, { id: "throw" }),
        ],
      });
    },
    drive: everyOutput,
  },
  {
    name: "secret_in_status_file_and_plugins_list",
    // Only a process sandbox dies of this error (a Worker's guest catches it): process only.
    modes: ["process"],
    config(w) {
      w.secret("WALL_CRASH_SECRET", tricky("s"));
      return config(w, {
        plugins: [{ from: w.plugin("crash_secret"), permissions: { env: ["WALL_CRASH_SECRET"] } }],
        runner: { on: { interval: "1h" } },
        steps: [attack("wall-crash-secret:Attack", { name: "WALL_CRASH_SECRET", how: "abort" })],
      });
    },
    async drive(w) {
      await w.run({
        timeoutMs: 20_000,
        stopWhen: () => Deno.stat(w.path("otai.status.json")).then(() => true, () => false),
      });
      await w.otai(["plugins", "list", "config.yml", "--json"], { expect: "none" });
      await w.otai(["plugins", "list", "config.yml"], { expect: "none" });
    },
    async check(w) {
      const status = JSON.parse(await Deno.readTextFile(w.path("otai.status.json")));
      ok(
        status.plugins?.["wall-crash-secret"]?.lastError,
        `precondition: the dying sandbox left a reason in otai.status.json: ${
          JSON.stringify(status)
        }`,
      );
    },
  },
  {
    name: "secret_in_uncaught_error_of_a_dying_sandbox",
    // Only a process sandbox dies of this error (a Worker's guest catches it): process only.
    modes: ["process"],
    config(w) {
      w.secret("WALL_CRASH_SECRET", tricky("d"));
      return config(w, {
        plugins: [{ from: w.plugin("crash_secret"), permissions: { env: ["WALL_CRASH_SECRET"] } }],
        steps: [attack("wall-crash-secret:Attack", { name: "WALL_CRASH_SECRET", how: "getter" })],
      });
    },
    async drive(w) {
      await w.run();
      await w.otai(["run", "config.yml", "--log-level", "debug"]);
    },
  },
  {
    name: "earlier_step_error_read_through_ctx_steps",
    config(w) {
      w.secret("WALL_SECRET", tricky("c"));
      const { text, server } = exfil(w, false);
      exfilServer.set(w, server);
      return text;
    },
    check: (w) => notSent(w, exfilServer.get(w)!),
  },
  {
    name: "earlier_step_error_read_through_expression",
    config(w) {
      w.secret("WALL_SECRET", tricky("e"));
      const { text, server } = exfil(w, true);
      exfilServer.set(w, server);
      return text;
    },
    check: (w) => notSent(w, exfilServer.get(w)!),
  },
  {
    name: "secret_on_plugin_console",
    config(w) {
      w.secret("WALL_SECRET", tricky("o"));
      return config(w, {
        plugins: [{ from: w.plugin("secret_console"), permissions: { env: ["WALL_SECRET"] } }],
        steps: [attack("wall-secret-console:Attack", { name: "WALL_SECRET" })],
      });
    },
    drive: everyOutput,
  },
  {
    name: "service_create_fails_quoting_license_key",
    config(w) {
      w.secret("WALL_SECRET", tricky("l"));
      return config(w, {
        plugins: [{ from: w.plugin("license_service") }],
        services: [{ id: "lic", use: "wall-license:License", params: { key: "${WALL_SECRET}" } }],
        steps: [{
          id: "attack",
          use: "wall-bystander:Call",
          injects: { lic: "lic" },
          params: { service: "lic", method: "check" },
          continue_on_error: true,
        }],
      });
    },
    async drive(w) {
      await w.run();
      await w.otai(["run", "config.yml", "--log-level", "debug"]);
      await w.otai(["check", "config.yml", "--json"], { expect: "none" });
      await w.otai(["check", "config.yml"], { expect: "none" });
    },
  },
  {
    name: "secret_in_plugin_url",
    expect: "refused",
    refusing: /plugins\[0\]/,
    config(w) {
      w.secret("WALL_URL_TOKEN", `wall-url-${crypto.randomUUID()}`);
      const host = w.server();
      return config(w, {
        plugins: [{ from: `${host.url}/\${WALL_URL_TOKEN}/mod.ts` }],
        steps: [attack("wall-nothing:Attack")],
      });
    },
    async drive(w) {
      await w.run();
      await w.otai(["check", "config.yml"]);
      await w.otai(["plugins", "list", "config.yml", "--json"], { expect: "none" });
      await w.otai(["plugins", "list", "config.yml"], { expect: "none" });
    },
  },
  {
    name: "secret_in_for_each_failures",
    config(w) {
      w.secret("WALL_SECRET", tricky("f"));
      return config(w, {
        plugins: [{ from: w.plugin("echo_secret") }],
        steps: [{
          id: "attack",
          for_each: "${{ [1, 2, 3] }}",
          continue_on_error: true,
          steps: [{ id: "each", use: "wall-echo-secret:Throw", params: { key: "${WALL_SECRET}" } }],
        }],
      });
    },
    async drive(w) {
      await w.run();
      await w.otai(["run", "config.yml", "--log-level", "debug"]);
    },
  },
];
