/**
 * The attack suite: hostile plugins (one small module each, in ./plugins) run against a real
 * host in both isolation modes; every attack must be contained with a clear message, the host
 * unharmed, and the plugin usable again afterwards.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openConfig, type RunnerResult, type StepResult } from "../../mod.ts";
import { fixture, runCli, serveFiles, tempConfig } from "../_helpers.ts";

const PLUGINS = fileURLToPath(new URL("./plugins/", import.meta.url));

type Check = (attack: StepResult, ctx: { dir: string; after: StepResult | undefined }) => void;

interface Attack {
  /** Module name in ./plugins. */
  name: string;
  /** The grant, as YAML flow mapping. */
  grant?: string;
  /** Params of the attack step, as YAML flow mapping (`$DIR`, `$URL` replaced). */
  params?: string;
  /** Extra plugin entry keys (YAML lines). */
  extra?: string;
  /** Step timeout. */
  timeout?: string;
  /** Modes it applies to. */
  modes?: ("worker" | "process")[];
  /** Extra step after the attack (YAML), instead of Ping. */
  after?: string;
  check: Check;
}

function failed(re: RegExp): Check {
  return (s) => {
    strictEqual(s.status, "failed", JSON.stringify(s));
    match(s.error!, re);
  };
}

const ATTACKS: Attack[] = [
  {
    name: "read_file",
    grant: 'read: ["$DIR/allowed"]',
    params: "path: /etc/hostname",
    check: failed(
      /plugin "attack-read-file" was denied read access to "\/etc\/hostname"; .*permissions\.read in/,
    ),
  },
  {
    name: "read_env",
    grant: 'env: ["OTAI_ATTACK_OK"]',
    params: "name: OTAI_SECRET_CANARY",
    check: failed(/was denied env access to "OTAI_SECRET_CANARY"/),
  },
  {
    name: "net_host",
    grant: 'net: ["127.0.0.1:9"]',
    params: 'url: "$URL/secret"',
    check: failed(/was denied net access to "127\.0\.0\.1:\d+"/),
  },
  {
    name: "write_file",
    grant: 'write: ["$DIR/allowed"]',
    params: 'path: "$DIR/owned.txt"',
    check: (s, { dir }) => {
      failed(/was denied write access/)(s, { dir, after: undefined });
      ok(!exists(`${dir}/owned.txt`));
    },
  },
  {
    name: "spawn",
    grant: 'run: ["true"]',
    check: failed(/was denied run access to "echo"/),
  },
  {
    name: "ffi",
    grant: 'ffi: ["/nonexistent/lib.so"]',
    check: failed(/was denied ffi access/),
  },
  {
    name: "sys_info",
    grant: 'sys: ["osRelease"]',
    check: failed(/was denied sys access to "hostname"/),
  },
  {
    name: "permission_request",
    check: (s) => {
      strictEqual(s.status, "succeeded");
      const d = s.data as { read: string; env: string };
      ok(d.read !== "granted" && d.env !== "granted", JSON.stringify(d));
    },
  },
  {
    name: "import_remote",
    params: 'url: "$URL/evil.ts"',
    check: failed(/Requires import access|import/),
  },
  {
    name: "read_other_plugin",
    grant: 'read: ["$DIR/allowed"]',
    params: `path: "${fixture("store.ts")}"`,
    check: failed(/was denied read access to ".*store\.ts"/),
  },
  {
    name: "host_globals",
    check: (s) => {
      strictEqual(s.status, "succeeded");
      deepStrictEqual(s.data, { canary: null, registry: "undefined", deno_internal: "undefined" });
    },
  },
  {
    name: "forge_service_call",
    params: "instance: kv",
    after:
      '{ id: after, use: "probe:Call", injects: { kv: kv }, params: { service: kv, method: calls } }',
    check: (s, { after }) => {
      strictEqual(s.status, "succeeded");
      deepStrictEqual(after?.data, { value: 0 }, "no forged call reached the service");
    },
  },
  {
    name: "return_function",
    check: failed(/the pipe returned a value whose data\.run is a function/),
  },
  {
    name: "huge_result",
    params: "bytes: 2000000",
    extra: "    limits: { result_mb: 1 }\n",
    check: failed(/over the 1 MB limit for one result/),
  },
  {
    name: "proto_pollution",
    check: (s) => {
      strictEqual(s.status, "succeeded");
      strictEqual(({} as Record<string, unknown>).polluted, undefined);
      strictEqual(Object.getPrototypeOf(s.data), Object.prototype);
      strictEqual((s.data as Record<string, unknown>).ok, true);
    },
  },
  {
    name: "throw_non_error",
    check: failed(/threw a non-Error value: \{"code":42/),
  },
  {
    name: "unhandled_rejection",
    check: (s) => strictEqual(s.status, "succeeded"),
  },
  {
    name: "busy_loop",
    // A Worker stuck this way cannot be stopped (it spins until its process exits): its test,
    // through the CLI, is below.
    modes: ["process"],
    timeout: "300ms",
    check: failed(/timed out after 300ms/),
  },
  {
    name: "never_resolve",
    timeout: "300ms",
    check: failed(/timed out after 300ms/),
  },
  {
    name: "oom",
    modes: ["process"],
    timeout: "30s",
    extra: "    limits: { memory_mb: 64 }\n",
    check: failed(/exceeded memory limit \(64 MB\)/),
  },
  {
    name: "deno_exit",
    check: failed(/Deno\.exit\(\) is not allowed in a plugin/),
  },
  {
    name: "self_close",
    check: failed(/close\(\) is not allowed in a plugin/),
  },
  {
    name: "redefine_exit",
    check: failed(/Cannot redefine property: exit/),
  },
  {
    name: "tamper_globals",
    after: '{ id: after, use: "probe:Echo", params: { still: "${{ [1, 2].map(x, x * 2) }}" } }',
    check: (s, { after }) => {
      strictEqual(s.status, "succeeded");
      strictEqual(({} as Record<string, unknown>).polluted, undefined);
      deepStrictEqual(after?.data, { still: [2, 4] }, "another plugin is unaffected");
      strictEqual(typeof globalThis.fetch, "function");
      deepStrictEqual([1].map((x) => x + 1), [2]);
    },
  },
  {
    name: "nested_worker",
    grant: 'read: ["$DIR/allowed"]',
    params: "path: /etc/hostname",
    check: failed(/denied read access to "\/etc\/hostname"/),
  },
];

for (const mode of ["worker", "process"] as const) {
  Deno.test(`attack suite (${mode}): every hostile plugin is contained`, async (t) => {
    await using server = serveFiles({ "/secret": "top secret", "/evil.ts": "export default 1;" });
    const attacks = ATTACKS.filter((a) => !a.modes || a.modes.includes(mode));
    const plugins = attacks.map((a) =>
      `  - from: ${PLUGINS}${a.name}.ts\n    isolation: ${mode}\n` +
      (a.grant ? `    permissions: { ${a.grant} }\n` : "") + (a.extra ?? "")
    ).join("");
    const runners = attacks.map((a) => {
      const prefix = `attack-${a.name.replaceAll("_", "-")}`;
      return `    - id: ${a.name}
      run:
        - { id: attack, use: "${prefix}:Attack", continue_on_error: true${
        a.params ? `, params: { ${a.params} }` : ""
      }${a.timeout ? `, timeout: ${a.timeout}` : ""} }
        - ${a.after ?? `{ id: after, use: "${prefix}:Ping" }`}
`;
    }).join("");
    await using cfg = await tempConfig(
      `plugins:
${plugins}  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("store.ts")}
    isolation: ${mode}
services:
  - { id: kv, use: "store:Kv" }
orchestrator:
  runners:
${runners}`.replaceAll("$DIR", "DIR_PLACEHOLDER"),
    );
    await Deno.writeTextFile(
      cfg.file,
      (await Deno.readTextFile(cfg.file)).replaceAll("DIR_PLACEHOLDER", cfg.dir).replaceAll(
        "$URL",
        server.url,
      ),
    );
    (globalThis as Record<string, unknown>).__otaiHostCanary = "host only";
    Deno.env.set("OTAI_SECRET_CANARY", "canary-value-1234");
    let results: RunnerResult[];
    try {
      using app = await openConfig(cfg.file);
      results = await app.run();
    } finally {
      Deno.env.delete("OTAI_SECRET_CANARY");
      delete (globalThis as Record<string, unknown>).__otaiHostCanary;
    }
    for (const a of attacks) {
      await t.step(a.name, () => {
        const r = results.find((x) => x.id === a.name)!;
        const [attack, after] = r.steps;
        a.check(attack!, { dir: cfg.dir, after });
        strictEqual(
          after?.status,
          "succeeded",
          `the plugin works afterwards: ${JSON.stringify(after)}`,
        );
      });
    }
    await t.step("the host is unharmed", () => {
      ok(!server.requests.includes("/secret"), "no request reached a host not granted");
      ok(!server.requests.includes("/evil.ts"), "no code was imported from an origin not granted");
      strictEqual(({} as Record<string, unknown>).polluted, undefined);
    });
  });
}

Deno.test("attack suite: a secret a plugin reads and logs is redacted in logs and results", async () => {
  await using cfg = await tempConfig(`plugins:
  - from: ${PLUGINS}log_secret.ts
    permissions: { env: ["OTAI_SECRET_CANARY"] }
orchestrator:
  runners:
    - id: main
      run: { id: leak, use: "attack-log-secret:Attack", params: { name: OTAI_SECRET_CANARY } }
`);
  const r = await runCli(["run", cfg.file, "--json"], {
    env: { OTAI_SECRET_CANARY: "canary-value-1234" },
  });
  strictEqual(r.code, 0, r.stderr);
  ok(!r.stdout.includes("canary-value-1234") && !r.stderr.includes("canary-value-1234"));
  match(r.stderr, /the secret is \*\*\*/);
  strictEqual(JSON.parse(r.stdout).runners[0].steps[0].data.echoed, "***");
});

Deno.test("a plugin stuck in a busy loop in a Worker moves to a process sandbox, and works on", async () => {
  const stall =
    '{ id: STALL, use: "attack-busy-loop:Attack", timeout: 300ms, continue_on_error: true }';
  const ping = '{ id: PING, use: "attack-busy-loop:Ping" }';
  await using cfg = await tempConfig(`plugins:
  - from: ${PLUGINS}busy_loop.ts
    isolation: worker
defaults: { kill_after: 200ms }
orchestrator:
  runners:
    - id: main
      run:
        - ${stall.replace("STALL", "stall1")}
        - ${ping.replace("PING", "ping1")}
        - ${stall.replace("STALL", "stall2")}
        - ${ping.replace("PING", "ping2")}
`);
  const r = await runCli(["run", cfg.file, "--json"], {
    flags: ["-A", "--unstable-worker-options", "--cached-only"],
  });
  const steps = JSON.parse(r.stdout).runners[0].steps as StepResult[];
  for (const id of ["stall1", "stall2"]) {
    const s = steps.find((x) => x.id === id)!;
    strictEqual(s.status, "failed");
    match(s.error ?? "", /timed out after 300ms/);
  }
  for (const id of ["ping1", "ping2"]) {
    deepStrictEqual(steps.find((x) => x.id === id)!.data, { pong: "clean" }, id);
  }
  // Said once: the second stall is in a process sandbox, which is killed like any other.
  const moved = r.stderr.match(/now runs in a process sandbox/g) ?? [];
  strictEqual(moved.length, 1, r.stderr);
  match(r.stderr, /attack-busy-loop/);
});

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
