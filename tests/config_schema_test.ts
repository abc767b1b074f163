import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { configJsonSchema, loadConfig } from "../mod.ts";
import { configReference, REFERENCE_MARKERS, tableRows } from "../cli/config_reference.ts";
import { ROOT, runCli, tempConfig } from "./_helpers.ts";

/** A validator for a schema (ajv, draft 2020-12, every error reported). */
function validator(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (data: unknown): ErrorObject[] => validate(data) ? [] : [...(validate.errors ?? [])];
}

/** Every `*.yml` under a folder, recursively. */
async function ymlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await ymlFiles(path));
    else if (e.name.endsWith(".yml")) out.push(path);
  }
  return out.sort();
}

/** README's ```yaml blocks that are whole configs (they have an `orchestrator`). */
async function readmeConfigs(): Promise<string[]> {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
    .filter((text) => {
      const data = parse(text);
      return data !== null && typeof data === "object" && "orchestrator" in data;
    });
}

const HELLO = `
otai: "^1.0"
plugins:
  - from: ./plugin.ts
orchestrator:
  runners:
    - id: main
      run:
        - id: greet
          use: hello:Greet
`;

Deno.test("configJsonSchema() accepts every example config and README's whole configs", async (t) => {
  const validate = validator(configJsonSchema());
  const examples = await ymlFiles(`${ROOT}examples`);
  ok(examples.length >= 4, "the examples are found");
  for (const file of examples) {
    await t.step(file.slice(ROOT.length), async () => {
      const text = await Deno.readTextFile(file);
      equal(
        text.split("\n")[0],
        `# yaml-language-server: $schema=${relativeSchemaPath(file)}`,
        "the config names the committed schema on its first line",
      );
      deepStrictEqual(validate(parse(text)), []);
    });
  }
  const blocks = await readmeConfigs();
  ok(blocks.length >= 1, "README has a whole config");
  for (const [n, text] of blocks.entries()) {
    await t.step(`README config block ${n + 1}`, () => deepStrictEqual(validate(parse(text)), []));
  }
});

/** The path from a config to `schema/config.schema.json`. */
function relativeSchemaPath(file: string): string {
  const depth = file.slice(ROOT.length).split("/").length - 1;
  return `${"../".repeat(depth)}schema/config.schema.json`;
}

Deno.test("configJsonSchema() rejects what the loader rejects: wrong types, unknown keys, no orchestrator", async (t) => {
  const validate = validator(configJsonSchema());
  const cases: [string, string, string][] = [
    [
      "a wrong type",
      HELLO.replace("id: main", "id: main\n      concurrency: many"),
      "/concurrency",
    ],
    [
      "an unknown key",
      HELLO.replace("- from: ./plugin.ts", "- from: ./plugin.ts\n    form: x"),
      "/plugins/0",
    ],
    [
      "an unknown step key",
      HELLO.replace("use: hello:Greet", "use: hello:Greet\n          uses: x"),
      "/run/0",
    ],
    [
      "a bad enum",
      HELLO.replace("- from: ./plugin.ts", "- from: ./plugin.ts\n    isolation: vm"),
      "/isolation",
    ],
    ["no orchestrator", HELLO.slice(0, HELLO.indexOf("orchestrator:")), ""],
  ];
  for (const [name, text, at] of cases) {
    await t.step(name, async () => {
      const errors = validate(parse(text));
      ok(errors.some((e) => e.instancePath.endsWith(at)), JSON.stringify(errors));
      await using cfg = await tempConfig(text, { "plugin.ts": "" });
      ok((await loadConfig(cfg.file)).diagnostics.length > 0, "the loader rejects it too");
    });
  }
});

Deno.test("configJsonSchema() is looser than the loader where zod cannot say it: one step, ${NAME} values", async (t) => {
  const validate = validator(configJsonSchema());
  const cases: [string, string][] = [
    [
      "one step instead of a list",
      HELLO.replace(/run:\n\s+- id: greet\n\s+use/, "run:\n        id: greet\n        use"),
    ],
    ["${NAME} for a number", HELLO.replace("id: main", "id: main\n      concurrency: ${RUNS:-2}")],
    [
      "${NAME} for a boolean",
      HELLO.replace("- from: ./plugin.ts", "- from: ./plugin.ts\n    enabled: ${ON:-true}"),
    ],
    [
      "${NAME} for a duration",
      HELLO.replace("use: hello:Greet", "use: hello:Greet\n          timeout: ${T:-5s}"),
    ],
  ];
  for (const [name, text] of cases) {
    await t.step(name, async () => {
      await using cfg = await tempConfig(text, { "plugin.ts": "" });
      deepStrictEqual((await loadConfig(cfg.file)).diagnostics, [], "the loader accepts it");
      deepStrictEqual(validate(parse(text)), []);
    });
  }
});

Deno.test("otai schema prints what schema/config.schema.json holds (run deno task schema when it fails)", async () => {
  const r = await runCli(["schema"]);
  equal(r.code, 0, r.stderr);
  const committed = await Deno.readTextFile(`${ROOT}schema/config.schema.json`);
  equal(committed, r.stdout, "schema/config.schema.json is stale: run deno task schema");
  deepStrictEqual(JSON.parse(r.stdout), configJsonSchema());
});

Deno.test("README's config reference is the one the schema generates (run deno task schema when it fails)", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const start = readme.indexOf(REFERENCE_MARKERS.start);
  const end = readme.indexOf(REFERENCE_MARKERS.end);
  ok(start >= 0 && end > start, "README has the reference markers");
  const rows = tableRows(configReference(configJsonSchema()));
  ok(rows.some((r) => r.startsWith("|`orchestrator.runners[].run[].use`|")), rows.join("\n"));
  deepStrictEqual(tableRows(readme.slice(start, end)), rows);
});

Deno.test("otai schema <config> checks each pipe's and service's params against its plugin's schema", async () => {
  await using cfg = await tempConfig(`
plugins:
  - from: jsr:@otai/base@^1.0
  - from: jsr:@otai/sqlite-tickets@^1.0
services:
  - id: tickets
    use: sqlite-tickets:Tickets
    params: { path: ./tickets.db }
orchestrator:
  runners:
    - id: main
      run:
        - id: count
          use: base:Tally
          params: { items: [], by: queue }
`);
  const r = await runCli(["schema", cfg.file], { flags: ["-A", "--cached-only"] });
  equal(r.code, 0, r.stderr);
  const schema = JSON.parse(r.stdout);
  const validate = validator(schema);
  const config = parse(await Deno.readTextFile(cfg.file));
  deepStrictEqual(validate(config), []);
  const step = config.orchestrator.runners[0].run[0];
  const paramsAt = "/orchestrator/runners/0/run/0/params";
  step.params.by = 7; // Tally's `by` is a dot path: a string
  ok(validate(config).some((e) => e.instancePath === `${paramsAt}/by`), "a number for by fails");
  step.params = { items: "${{ steps.fetch.data.tickets }}", by: "${{ params.field }}" };
  deepStrictEqual(validate(config), [], "an expression may stand for any param");
  step.params = { items: [] };
  ok(validate(config).some((e) => e.instancePath === paramsAt), "a missing by fails");
  step.use = "base:Log"; // another pipe: Tally's schema no longer applies
  step.params = { by: 7 };
  ok(!validate(config).some((e) => e.instancePath === `${paramsAt}/by`));
  config.services[0].params.path = 7; // a service's params are checked against its schema too
  ok(validate(config).some((e) => e.instancePath === "/services/0/params/path"));
  config.services[0].params.path = "./tickets.db";
  // The schema without a config leaves params open.
  step.use = "base:Tally";
  deepStrictEqual(validator(configJsonSchema())(config), []);
});
