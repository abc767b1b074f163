import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { loadConfig } from "./load_config.ts";
import { formatDiagnostic } from "../errors.ts";

const RUNNERS = "orchestrator:\n  runners:\n    - id: main\n      run: { id: a, use: x:Y }\n";

async function problems(text: string, env: Record<string, string> = {}): Promise<string[]> {
  const loaded = await loadConfig("c.yml", { text, env: (n) => env[n] });
  return loaded.diagnostics.map(formatDiagnostic);
}

Deno.test("loadConfig() accepts a valid config and a single step as run", async () => {
  const loaded = await loadConfig("c.yml", { text: RUNNERS });
  deepStrictEqual(loaded.diagnostics, []);
  deepStrictEqual(loaded.config?.orchestrator.runners[0]?.run, [{ id: "a", use: "x:Y" }]);
});

Deno.test("loadConfig() substitutes environment variables and remembers them as secrets", async (t) => {
  const text = `plugins:
  - from: ./p.ts
    as: "\${PREFIX:-plain}"
services:
  - id: s
    use: p:S
    params:
      token: "\${TOKEN}"
      port: \${PORT}
      url: "https://\${HOST:-localhost}/x"
${RUNNERS}`;
  await t.step("set, default, typed plain scalar", async () => {
    const loaded = await loadConfig("c.yml", {
      text,
      env: (n) => ({ TOKEN: "s3cret-value", PORT: "8080" })[n],
    });
    deepStrictEqual(loaded.diagnostics, []);
    deepStrictEqual(loaded.config?.services?.[0]?.params, {
      token: "s3cret-value",
      port: 8080,
      url: "https://localhost/x",
    });
    strictEqual(loaded.config?.plugins?.[0]?.as, "plain");
    ok(loaded.secrets.has("s3cret-value"));
    ok(!loaded.secrets.has("localhost"));
  });
  await t.step("an unset variable without default names it and its line", async () => {
    const [first] = await problems(text, { PORT: "1" });
    strictEqual(
      first,
      'c.yml:8:14: services[0].params.token: environment variable "TOKEN" is not set; ' +
        'set it, or write "${TOKEN:-default}" to give a default',
    );
  });
});

Deno.test("loadConfig() reports every problem at once with line and column", async (t) => {
  const found = await problems(`otai: "^9"
plugins:
  - frm: ./x.ts
    permissions: { net: "x", disk: true }
services:
  - { id: a, use: p:A, injects: { b: b } }
  - { id: b, use: p:B, injects: { a: a, z: nope }, params: { x: "\${{ 1 }}" } }
orchestrator:
  runners:
    - id: main
      on: { interval: 5 minutes }
      run:
        - { id: s1, use: x:Y, if: "steps.x ==", timeout: soon }
        - { id: s1, for_each: "\${{ steps.s1.data }}", steps: [{ id: t, use: x:Y, params: { v: "\${{ item. }}" } }] }
        - { id: s3 }
        - { id: s4, use: x:Y, concurrency: 2 }
`);
  const expected: [string, RegExp][] = [
    ["1:7", /otai: this config targets otai API "\^9"/],
    ["3:5", /plugins\[0\]: missing required key "from"/],
    ["3:5", /unknown key "frm"; did you mean "from"\?/],
    ["4:25", /permissions.net: expected true, false or a list of strings, got string "x"/],
    ["4:30", /unknown key "disk"/],
    ["6:33", /services inject each other in a cycle: a -> b -> a/],
    ["7:44", /services\[1\].injects.z: no service with id "nope"/],
    ["7:60", /service params cannot hold \$\{\{ \}\} expressions/],
    ["11:23", /on.interval: expected a duration/],
    ["13:35", /if: invalid expression "steps.x =="/],
    ["13:58", /timeout: expected a duration/],
    ["14:17", /duplicate step id "s1"/],
    ["14:95", /params.v: invalid expression "item."/],
    ["15:11", /missing "use"/],
    ["16:44", /concurrency applies to for_each steps only/],
  ];
  for (const [at, re] of expected) {
    await t.step(`${at} ${re.source}`, () => {
      ok(found.some((f) => f.startsWith(`c.yml:${at}: `) && re.test(f)), found.join("\n"));
    });
  }
});

Deno.test("loadConfig() refuses bad YAML and alias bombs with a position", async (t) => {
  await t.step("syntax error", async () => {
    const [p] = await problems("plugins:\n  - from: [unclosed\norchestrator: {}\n");
    match(p!, /^c\.yml:\d+:\d+: invalid YAML: /);
  });
  await t.step("duplicate keys", async () => {
    const [p] = await problems(`${RUNNERS}orchestrator: {}\n`);
    match(p!, /^c\.yml:5:1: duplicate key "orchestrator": it is given twice in this mapping/);
  });
  await t.step("billion laughs", async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill("*" + prev).join(",")}]`);
    }
    const [p] = await problems(lines.join("\n") + "\n");
    match(p!, /cannot read the config: .*alias/i);
  });
  await t.step("not a mapping", async () => {
    const [p] = await problems("- just\n- a list\n");
    match(p!, /the config must be a mapping/);
  });
});

Deno.test("loadConfig() refuses what would overflow or stall reading, with the line", async (t) => {
  const step = (extra: string) =>
    `orchestrator:\n  runners:\n    - id: main\n      run:\n        - id: a\n          use: x:Y\n${extra}`;
  await t.step(
    "an alias inside the value its anchor names: cyclic alias, at the alias",
    async () => {
      const [p] = await problems(step("          params: &p { text: hi, self: *p }\n"));
      match(p!, /^c\.yml:7:40: .*cyclic alias: \*p stands inside the value its anchor &p names/);
      const [q] = await problems(
        "services:\n  - id: s\n    use: x:S\n    params: &q\n      a: [1, { b: *q }]\n" +
          step(""),
      );
      match(q!, /^c\.yml:5:19: .*cyclic alias/);
    },
  );
  await t.step("nesting beyond the limit, in flow and block style", async () => {
    for (const depth of [100, 5000]) {
      const [p, more] = await problems(
        step(`          params: { x: ${"[".repeat(depth)}${"]".repeat(depth)} }\n`),
      );
      match(p!, /^c\.yml:7:\d+: .*nested more than 64 levels deep/);
      strictEqual(more, undefined, "said once");
    }
    let block = "          params:\n";
    for (let i = 0; i < 900; i++) block += `${" ".repeat(12 + i)}k${i}:\n`;
    const [p] = await problems(step(block));
    match(p!, /^c\.yml:\d+:\d+: .*nested more than 64 levels deep/);
  });
  await t.step("aliases that nest deeper together than each place alone", async () => {
    const deep = `${"[".repeat(40)}1${"]".repeat(40)}`;
    const [p] = await problems(
      `x: &d ${deep}\n` + step(`          params: { v: ${"[".repeat(30)}*d${"]".repeat(30)} }\n`),
    );
    match(p!, /nested more than 64 levels deep/);
  });
  await t.step("a duplicate key in a huge mapping: reported at the second key", async () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `            k${i}: ${i}`).join("\n");
    const [p] = await problems(step(`          params:\n${keys}\n            k17: again\n`));
    match(p!, /^c\.yml:40008:13: .*duplicate key "k17"/);
  });
  await t.step("a config over the size limit", async () => {
    const [p] = await problems(step(`          params: { x: "${"x".repeat(9 * 1024 * 1024)}" }\n`));
    match(p!, /^c\.yml:1:1: .*the config is 9\.0 MB, over the limit of 8 MB/);
  });
  await t.step("a second YAML document", async () => {
    const [p] = await problems(step("---\nfoo: 1\n"));
    match(p!, /^c\.yml:7:1: .*a config is one YAML document; found a second at line 7/);
  });
  await t.step("durations a timer cannot wait", async () => {
    for (
      const [extra, line] of [["          timeout: 25d\n", 7], [
        "defaults: { kill_after: 3000000s }\n",
        1,
      ]] as const
    ) {
      const text = line === 1 ? extra + step("") : step(extra);
      const [p] = await problems(text);
      match(p!, new RegExp(`^c\\.yml:${line}:\\d+: .*too long: the largest duration is 24d`));
    }
    deepStrictEqual(await problems(step("          timeout: 24d\n")), []);
  });
});

Deno.test("loadConfig() reads queue: and distribute: true, and refuses distribute without a queue", async (t) => {
  const loop = (distribute: string) =>
    `orchestrator:
  runners:
    - id: main
      run:
        - id: each
          for_each: "\${{ [1, 2] }}"
          ${distribute}
          steps: [{ id: a, use: x:Y }]
`;
  await t.step("with a queue", async () => {
    const text = `queue: { url: "redis://:\${PW}@db:6379/1" }\n${loop("distribute: true")}`;
    const loaded = await loadConfig("c.yml", { text, env: (n) => ({ PW: "pa55word" })[n] });
    deepStrictEqual(loaded.diagnostics, []);
    deepStrictEqual(loaded.queue, { url: "redis://:pa55word@db:6379/1" });
    strictEqual(loaded.runners[0]?.steps[0]?.distribute, true);
    ok(loaded.secrets.has("pa55word"));
  });
  await t.step("without a queue, at the line and column of distribute", async () => {
    deepStrictEqual(await problems(loop("distribute: true")), [
      "c.yml:7:23: orchestrator.runners[0].run[0].distribute: distribute: true needs a queue; " +
      'add queue: { url: "redis://host:6379" } at the top level, or remove distribute',
    ]);
  });
  await t.step("its retry and timeout settings, in milliseconds", async () => {
    const text = "queue:\n  url: redis://db\n  attempts: 5\n  retry_delay: 250ms\n" +
      `  stall_timeout: 10s\n  idle_timeout: 5m\n${loop("distribute: true")}`;
    const loaded = await loadConfig("c.yml", { text });
    deepStrictEqual(loaded.diagnostics, []);
    deepStrictEqual(loaded.queue, {
      url: "redis://db",
      attempts: 5,
      retryDelayMs: 250,
      stallMs: 10_000,
      idleMs: 300_000,
    });
  });
  await t.step("settings out of range, each at its line and column", async () => {
    const text = "queue:\n  url: redis://db\n  attempts: 0\n  stall_timeout: 500ms\n" +
      `  idle_timeout: soon\n${loop("distribute: true")}`;
    deepStrictEqual(await problems(text), [
      "c.yml:3:13: queue.attempts: expected a whole number from 1 to 100",
      "c.yml:4:18: queue.stall_timeout: too short: at least 1s",
      'c.yml:5:17: queue.idle_timeout: expected a duration such as "500ms", "10s", "5m" or "1h"',
    ]);
  });
  await t.step("a URL that is not redis:// or rediss://", async () => {
    const [p] = await problems(`queue: { url: "http://db" }\n${loop("")}`);
    match(p!, /c\.yml:1:15: queue\.url: expected a Redis URL such as "redis:\/\/host:6379"/);
  });
  await t.step("on a step without for_each", async () => {
    const [p] = await problems(
      "orchestrator:\n  runners:\n    - id: main\n      run: { id: a, use: x:Y, distribute: true }\n",
    );
    match(p!, /distribute applies to for_each steps only/);
  });
});
