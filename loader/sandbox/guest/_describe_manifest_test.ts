import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { z } from "zod";
import { checkManifest } from "../../../core/manifest.ts";
import { describe } from "./_describe_manifest.ts";

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
