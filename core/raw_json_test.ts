import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { rawField, RawJson, withRawFields } from "./raw_json.ts";
import { compileValue } from "./expression.ts";

Deno.test("withRawFields() parses a field on first read, once", () => {
  const data = withRawFields({ count: 2 }, { items: "[1,2]" }) as Record<string, unknown>;
  strictEqual(rawField(data, "items"), "[1,2]");
  const first = data.items;
  deepStrictEqual(first, [1, 2]);
  strictEqual(data.items, first, "the parsed value is kept");
  deepStrictEqual(JSON.parse(JSON.stringify(data)), { count: 2, items: [1, 2] });
});

Deno.test("compileValue() hands on a step's raw field as RawJson, anything else parsed", () => {
  const data = withRawFields({}, { items: "[1,2,3]" });
  const scope = { steps: { a: { status: "succeeded", data } } };
  const v = compileValue({
    items: "${{ steps.a.data.items }}",
    n: "${{ size(steps.a.data.items) }}",
  });
  deepStrictEqual(v.refs, [["items"]]);
  const out = v.render(scope) as { items: unknown; n: unknown };
  ok(out.items instanceof RawJson);
  strictEqual((out.items as RawJson).json, "[1,2,3]");
  strictEqual(out.n, 3);
  const plain = compileValue("${{ steps.a.data.items }}").render({
    steps: { a: { data: { items: [4] } } },
  });
  deepStrictEqual(plain, [4], "a field that came parsed stays parsed");
});
