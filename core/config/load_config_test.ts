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
    match(p!, /invalid YAML: Map keys must be unique/);
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
