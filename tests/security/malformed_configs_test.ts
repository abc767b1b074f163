/**
 * A corpus of malformed configs, generated from a valid one: every one must be refused with a
 * ConfigError (exit code 2) whose problems all carry a line, never another exception, and in
 * bounded time. A sample goes through the real CLI to check exit code and output. The plugins
 * run in Worker sandboxes, the cheapest to start: every config that gets as far starts them.
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Node } from "yaml";
import { ConfigError, openConfig } from "../../mod.ts";
import { fixture, runCli } from "../_helpers.ts";

const VALID = `otai: "^1.0"
plugins:
  - from: ${fixture("probe.ts")}
    isolation: worker
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("store.ts")}
    as: store
    isolation: worker
services:
  - id: kv
    use: store:Kv
    params: { prefix: "v=" }
  - id: kv2
    use: store:Kv
    injects: { base: kv }
defaults:
  timeout: 10s
orchestrator:
  runners:
    - id: main
      params: { n: 3 }
      run:
        - id: list
          use: probe:Items
          params: { n: "\${{ params.n }}" }
        - id: each
          for_each: "\${{ steps.list.data.items }}"
          concurrency: 2
          steps:
            - id: check
              use: probe:Check
              params: { value: "\${{ item }}" }
              timeout: 5s
        - id: call
          use: probe:Call
          injects: { kv: kv }
          if: 'steps.list.status == "succeeded"'
          params: { service: kv, method: get, args: [a] }
    - id: later
      on: { interval: 1h }
      run: { id: echo, use: probe:Echo, params: { x: 1 } }
`;

/** Paths (in the valid config) whose deletion must be an error. */
const REQUIRED = [
  ["orchestrator"],
  ["orchestrator", "runners"],
  ["plugins", 0, "from"],
  ["plugins", 1, "from"],
  ["services", 0, "id"],
  ["services", 0, "use"],
  ["services", 1, "id"],
  ["services", 1, "use"],
  ["orchestrator", "runners", 0, "id"],
  ["orchestrator", "runners", 0, "run"],
  ["orchestrator", "runners", 1, "id"],
  ["orchestrator", "runners", 1, "run"],
  ["orchestrator", "runners", 0, "run", 0, "id"],
  ["orchestrator", "runners", 0, "run", 0, "use"],
  ["orchestrator", "runners", 0, "run", 1, "for_each"],
  ["orchestrator", "runners", 0, "run", 1, "steps"],
  ["orchestrator", "runners", 0, "run", 1, "steps", 0, "use"],
  ["orchestrator", "runners", 0, "run", 2, "use"],
  ["orchestrator", "runners", 1, "run", "use"],
];

type Path = (string | number)[];

/** Every node path outside free-form params, with its node. */
function walk(node: unknown, path: Path, out: [Path, Node][]): void {
  if (path.at(-1) === "params" || path.at(-2) === "params") return;
  if (isMap(node)) {
    out.push([path, node]);
    for (const pair of node.items) {
      if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)], out);
    }
  } else if (isSeq(node)) {
    out.push([path, node]);
    node.items.forEach((item, i) => walk(item, [...path, i], out));
  } else if (isScalar(node)) out.push([path, node]);
}

function mutate(fn: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(VALID);
  fn(doc);
  return String(doc);
}

function corpus(): [string, string][] {
  const cases: [string, string][] = [];
  const nodes: [Path, Node][] = [];
  walk(parseDocument(VALID).contents, [], nodes);
  for (const path of REQUIRED) {
    cases.push([`delete ${path.join(".")}`, mutate((d) => d.deleteIn(path))]);
  }
  for (const [path, node] of nodes) {
    if (path.length === 0) continue;
    const name = path.join(".");
    const key = path.at(-1);
    cases.push([`${name} as null`, mutate((d) => d.setIn(path, null))]);
    if (isMap(node)) {
      cases.push([`unknown key in ${name}`, mutate((d) => d.setIn([...path, "bogus_key"], 1))]);
      cases.push([`${name} as a number`, mutate((d) => d.setIn(path, 42))]);
    } else if (isSeq(node)) {
      cases.push([`${name} as a string`, mutate((d) => d.setIn(path, "not a list"))]);
    } else if (isScalar(node)) {
      if (key === "otai" || key === "concurrency") continue;
      cases.push([`${name} as a map`, mutate((d) => d.setIn(path, { a: { b: 1 } }))]);
      if (typeof node.value === "string" && !name.includes("injects")) {
        cases.push([`${name} as a list`, mutate((d) => d.setIn(path, [1, 2]))]);
      }
    }
  }
  const text = (name: string, body: string) => cases.push([name, body]);
  const at = (find: string, replace: string) => VALID.replace(find, replace);
  text("unset env var in params", at('prefix: "v="', 'prefix: "${OTAI_CORPUS_UNSET}"'));
  text("unset env var in from", at("  - from: ", "  - from: ${OTAI_CORPUS_UNSET}"));
  text("unset env var in timeout", at("timeout: 10s", "timeout: ${OTAI_CORPUS_UNSET}"));
  text("bad CEL in if", at("if: 'steps.list.status", "if: 'steps.list.status =="));
  text("bad CEL in params", at("${{ params.n }}", "${{ params.n + }}"));
  text("bad CEL in for_each", at("${{ steps.list.data.items }}", "${{ steps.list.data.items[ }}"));
  text("for_each not an expression", at('"${{ steps.list.data.items }}"', "items"));
  text("duplicate step ids", at("- id: call", "- id: list"));
  text("duplicate service ids", at("- id: kv2", "- id: kv"));
  text("duplicate runner ids", at("- id: later", "- id: main"));
  text(
    "duplicate keys",
    at("      concurrency: 2", "      concurrency: 2\n          concurrency: 3"),
  );
  text("service cycle", at("    injects: { base: kv }", "    injects: { base: kv2 }"));
  text("service cycle via two", at('    params: { prefix: "v=" }', "    injects: { x: kv2 }"));
  text("unknown use", at("use: probe:Echo", "use: probe:Ecco"));
  text("unknown prefix", at("use: probe:Echo", "use: nope:Echo"));
  text("service used as pipe", at("use: probe:Echo", "use: store:Kv"));
  text(
    "pipe used as service",
    at("    use: store:Kv\n    params", "    use: probe:Echo\n    params"),
  );
  text("unknown injected service", at("injects: { kv: kv }", "injects: { kv: kv9 }"));
  text("bad interval", at("interval: 1h", "interval: hourly"));
  text("interval and cron", at("interval: 1h", "interval: 1h, cron: '* * * * *'"));
  text("bad cron", at("interval: 1h", "cron: 'every day'"));
  text("negative concurrency", at("concurrency: 2", "concurrency: -2"));
  text(
    "concurrency without for_each",
    at("          use: probe:Items", "          use: probe:Items\n          concurrency: 2"),
  );
  text(
    "use and for_each",
    at("          for_each:", "          use: probe:Echo\n          for_each:"),
  );
  text("bad API range", at('otai: "^1.0"', 'otai: "^7.0"'));
  text("invalid API range", at('otai: "^1.0"', 'otai: "banana"'));
  text("bad prefix", at("    as: store", "    as: Store_Prefix"));
  text("bad permission kind", at("net: true }", "net: true, disk: true }"));
  text("bad permission value", at("net: true }", "net: 42 }"));
  const store = "    as: store\n    isolation: worker";
  text("isolation none untrusted", at(store, "    as: store\n    isolation: none"));
  text("memory limit in worker", at(store, `${store}\n    limits: { memory_mb: 64 }`));
  text("bad isolation", at(store, "    as: store\n    isolation: vm"));
  text("bad integrity", at("    as: store", "    as: store\n    integrity: md5-abc"));
  text("bad step id", at("- id: call", "- id: 9call"));
  text("unicode step id", at("- id: call", "- id: cäll"));
  text("unicode key", at("      concurrency: 2", "      cöncurrency: 2"));
  text("unicode use", at("use: probe:Echo", "use: prøbe:Échø"));
  text("huge use", at("use: probe:Echo", `use: probe:${"E".repeat(100_000)}`));
  text("huge timeout", at("timeout: 10s", `timeout: ${"9".repeat(5000)}x`));
  text("plugin file missing", at("store.ts", "stor.ts"));
  text("plugin path is a directory", at(fixture("store.ts"), fixture("")));
  text("empty file", "");
  text("only a comment", "# nothing here\n");
  text("a list", "- a\n- b\n");
  text("a scalar", "just text\n");
  text("null orchestrator", at("orchestrator:\n  runners:", "orchestrator: ~\nx:\n  runners:"));
  text(
    "empty runners",
    VALID.slice(0, VALID.indexOf("orchestrator:")) + "orchestrator:\n  runners: []\n",
  );
  text("empty steps", at("          steps:\n", "          steps: []\n          x:\n"));
  text("tab indentation", at("  - from:", "\t- from:"));
  text("unclosed flow map", at("params: { n: 3 }", "params: { n: 3"));
  text("unclosed quote", at('"v="', '"v='));
  text("bad indentation", at("    - id: later", "      - id: later"));
  text("stray colon", at("defaults:", "defaults: : :"));
  for (let cut = 40; cut < VALID.length - 40; cut += 97) {
    const truncated = VALID.slice(0, cut);
    if (truncated.includes("orchestrator:\n  runners:\n    - id: main\n      params")) continue;
    text(`truncated at ${cut}`, truncated);
  }
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const p = String.fromCharCode(96 + i);
    const c = String.fromCharCode(97 + i);
    bomb.push(`${c}: &${c} [${Array(10).fill("*" + p).join(",")}]`);
  }
  text("billion laughs", bomb.join("\n") + "\n");
  text(
    "billion laughs in params",
    at("params: { n: 3 }", `params: { n: 3, x: *i }`).replace(
      "otai:",
      bomb.join("\n") + "\notai:",
    ),
  );
  text("undefined alias", at("params: { n: 3 }", "params: *nothing"));
  text("cyclic alias in params", at("params: { n: 3 }", "params: &p { n: 3, self: *p }"));
  text(
    "cyclic alias in service params",
    at('params: { prefix: "v=" }', 'params: &s { prefix: "v=", more: [1, { again: *s }] }'),
  );
  text(
    "cyclic alias in a step",
    at("        - id: call", "        - &c\n          id: call\n          x: *c"),
  );
  for (const depth of [65, 800, 5000]) {
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    text(`params nested ${depth} deep`, at("params: { n: 3 }", `params: { n: ${nested} }`));
  }
  let block = "params:\n";
  for (let i = 0; i < 900; i++) block += `${" ".repeat(8 + 2 * i)}k${i}:\n`;
  text("params nested 900 deep as blocks", at("params: { n: 3 }\n", block));
  const keys = Array.from({ length: 30_000 }, (_, i) => `        k${i}: ${i}`).join("\n");
  text(
    "a huge mapping with a duplicate key",
    at("params: { n: 3 }", `params:\n${keys}\n        k9: 1`),
  );
  text(
    "a huge mapping of unknown keys",
    at("defaults:\n", `defaults:\n${keys.replaceAll("    ", "  ")}\n`),
  );
  text("a config over the size limit", at('prefix: "v="', `prefix: "${"v".repeat(9 << 20)}"`));
  text("a second document", VALID + "---\notai: x\n");
  text("a second, empty document", VALID + "---\n");
  text("a timeout of 25 days", at("timeout: 10s", "timeout: 25d"));
  text("a timeout of 2^31 ms in seconds", at("timeout: 5s", "timeout: 2147484"));
  text("a kill_after of 30 days", at("  timeout: 10s", "  timeout: 10s\n  kill_after: 720h"));
  text("an interval of 40 days", at("interval: 1h", "interval: 40d"));
  return cases;
}

Deno.test("the malformed-config corpus: every config is refused with line numbers, quickly", async (t) => {
  const cases = corpus();
  ok(cases.length >= 200, `${cases.length} cases`);
  const dir = await Deno.makeTempDir({ prefix: "otai-corpus-" });
  const bad: string[] = [];
  try {
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async ([name, text], j) => {
          const file = `${dir}/case_${i + j}.yml`;
          await Deno.writeTextFile(file, text);
          const started = performance.now();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise<"timeout">((r) =>
            timer = setTimeout(() => r("timeout"), 20_000)
          );
          const outcome = await Promise.race([
            openConfig(file).then((app) => (app.close(), "accepted"), (e) => e),
            timeout,
          ]).finally(() => clearTimeout(timer));
          const ms = performance.now() - started;
          if (!(outcome instanceof ConfigError)) {
            bad.push(`${name}: ${outcome instanceof Error ? outcome.stack : outcome}`);
          } else if (
            !outcome.diagnostics.length || outcome.diagnostics.some((d) => !(d.line >= 1))
          ) {
            bad.push(`${name}: a problem without a line: ${outcome.message}`);
          } else if (ms > 15_000) bad.push(`${name}: took ${Math.round(ms)} ms`);
        }),
      );
    }
    await t.step(`${cases.length} configs refused`, () => {
      strictEqual(bad.length, 0, bad.join("\n"));
    });
    await t.step(
      "a sample through the CLI exits 2 with file:line:column and no stack",
      async () => {
        for (const i of [0, 25, 60, cases.length - 2, cases.length - 1]) {
          const r = await runCli(["check", `${dir}/case_${i}.yml`]);
          strictEqual(r.code, 2, `${cases[i]![0]}: ${r.stderr}`);
          match(r.stderr, new RegExp(`case_${i}\\.yml:\\d+:\\d+: `));
          ok(!/^\s+at /m.test(r.stderr), r.stderr);
        }
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
