import { deepStrictEqual, ok } from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { configJsonSchema } from "./json_schema.ts";

interface Tree {
  name: string;
  children?: Tree[] | undefined;
}
const tree: z.ZodType<Tree> = z.object({
  name: z.string(),
  get children() {
    return z.array(tree).optional();
  },
});
const shared = z.object({ n: z.int() }).meta({ id: "Shared" });

/** A config with one step using `x:P`, whose params are `params`. */
function config(params: unknown) {
  return {
    orchestrator: { runners: [{ id: "r", run: { id: "s", use: "x:P", params } }] },
  };
}

Deno.test("configJsonSchema() lifts a params schema's $defs and $refs into the config schema", () => {
  const params = z.object({ root: tree, a: shared, b: shared });
  const schema = configJsonSchema({
    params: [{ use: "x:P", kind: "pipe", schema: z.toJSONSchema(params, { io: "input" }) }],
  });
  const validate = new Ajv2020({ strict: false }).compile(schema);
  const good = { root: { name: "a", children: [{ name: "b" }] }, a: { n: 1 }, b: { n: 2 } };
  ok(validate(config(good)), JSON.stringify(validate.errors));
  ok(
    !validate(config({ ...good, root: { name: "a", children: [{ name: 1 }] } })),
    "deep recursion",
  );
  ok(!validate(config({ ...good, b: { n: 1.5 } })), "a shared definition");
  const templated = {
    root: { name: "${{ params.n }}", children: "${{ steps.x.data }}" },
    a: "${{ x }}",
    b: { n: "${{ 1 }}" },
  };
  ok(validate(config(templated)), JSON.stringify(validate.errors));
  deepStrictEqual(
    Object.keys(schema.$defs as object).filter((k) => k.startsWith("params.")).sort(),
    ["params.x.P", "params.x.P.Shared", "params.x.P.__schema0"],
  );
});
