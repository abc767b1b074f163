import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { z } from "zod";
import { checkManifest } from "../../../core/manifest.ts";
import { describe, describeProblems } from "./_describe_manifest.ts";

/** A manifest with one pipe whose params schema is `params`. */
function manifest(params: unknown): Record<string, unknown> {
  return {
    name: "x",
    version: "1.0.0",
    api: "^1.0",
    injectables: [{ kind: "pipe", name: "P", params, run: () => ({}) }],
  };
}

/** A Standard Schema that validates but cannot describe itself. */
const opaque = {
  "~standard": { version: 1, vendor: "x", validate: (v: unknown) => ({ value: v }) },
};

Deno.test("describe() carries a JSON Schema of a pipe's params when its schema gives one", async (t) => {
  await t.step("a zod schema: its input's JSON Schema, as plain data", () => {
    const schema = z.object({ by: z.string(), limit: z.number().default(10) });
    const [pipe] = describe(manifest(schema)).injectables;
    equal(pipe!.hasParams, true);
    const json = pipe!.paramsSchema as Record<string, unknown>;
    deepStrictEqual(json.required, ["by"], "a param with a default may be left out");
    deepStrictEqual((json.properties as Record<string, unknown>).by, { type: "string" });
    deepStrictEqual(JSON.parse(JSON.stringify(json)), json);
  });
  await t.step("what zod cannot express becomes anything, not an error", () => {
    const schema = z.object({ when: z.date(), f: z.string().transform((s) => s.length) });
    const json = describe(manifest(schema)).injectables[0]!.paramsSchema as {
      properties: Record<string, unknown>;
    };
    deepStrictEqual(json.properties.when, {});
    deepStrictEqual(json.properties.f, { type: "string" });
  });
  await t.step("a toJSONSchema() method is used when there is no ~standard.jsonSchema", () => {
    const schema = { ...opaque, toJSONSchema: () => ({ type: "object" }) };
    deepStrictEqual(describe(manifest(schema)).injectables[0]!.paramsSchema, { type: "object" });
  });
  for (
    const [name, schema] of [
      ["a schema that cannot describe itself", opaque],
      ["one whose description throws", { ...opaque, toJSONSchema: () => ({ a: 1n }) }],
      ["one whose description is not an object", { ...opaque, toJSONSchema: () => [] }],
      ["one whose description is too large", {
        ...opaque,
        toJSONSchema: () => ({ description: "x".repeat(70_000) }),
      }],
      ["no params at all", undefined],
    ] as const
  ) {
    await t.step(`${name}: none`, () => {
      const pipe = describe(manifest(schema)).injectables[0]!;
      ok(!("paramsSchema" in pipe));
      equal(pipe.hasParams, schema !== undefined);
    });
  }
});

Deno.test("checkManifest() refuses a paramsSchema that is not a JSON Schema object", () => {
  const m = {
    ...manifest(undefined),
    injectables: [{ kind: "pipe", name: "P", paramsSchema: [] }],
  };
  const r = checkManifest(m);
  ok("problems" in r && r.problems.some((p) => p.includes("paramsSchema")), JSON.stringify(r));
  const fine = checkManifest({
    ...m,
    injectables: [{ kind: "pipe", name: "P", paramsSchema: {} }],
  });
  ok("manifest" in fine);
});

Deno.test("describe() names a manifest's event handlers; checkManifest() refuses unknown ones", async (t) => {
  const withEvents = (events: unknown) => ({ ...manifest(undefined), events });
  await t.step("the handlers' types, as plain data", () => {
    const d = describe(withEvents({ "step.failed": () => {}, "runner.started": () => {} }));
    deepStrictEqual(d.events, ["step.failed", "runner.started"]);
    ok("manifest" in checkManifest(d as unknown as Record<string, unknown>));
  });
  await t.step("a misspelt type, with the nearest one", () => {
    const d = describe(withEvents({ "step.faild": () => {} }));
    const r = checkManifest(d as unknown as Record<string, unknown>);
    ok("problems" in r, JSON.stringify(r));
    match(
      r.problems[0]!,
      /handler for "step\.faild", which otai does not emit; did you mean "step\.failed"\?/,
    );
  });
  await t.step("hooks and handlers that are not functions", () => {
    deepStrictEqual(describeProblems({ ...withEvents({ "step.failed": 1 }), stop: "x" }), [
      `"stop" must be a function, got string`,
      `events["step.failed"] must be a function, got number`,
    ]);
  });
});
