import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { passOn, rawField, withRawFields } from "./_raw_fields.ts";

Deno.test("withRawFields() parses a field on first read, once", () => {
  const data = withRawFields({ count: 2 }, { items: "[1,2]" }) as Record<string, unknown>;
  strictEqual(rawField(data, "items"), "[1,2]");
  const first = data.items;
  deepStrictEqual(first, [1, 2]);
  strictEqual(data.items, first, "the parsed value is kept");
  deepStrictEqual(JSON.parse(JSON.stringify(data)), { count: 2, items: [1, 2] });
});

Deno.test("passOn() sends a raw field on as its text, unparsed, and puts anything else in place", () => {
  const raw = withRawFields({}, { items: "[1,2,3]" }) as Record<string, unknown>;
  const plain = { items: [4] };
  const { params, rawParams } = passOn({ a: null, b: null, n: 3 }, [
    { path: ["a"], data: raw, field: "items" },
    { path: ["b"], data: plain, field: "items" },
  ]);
  deepStrictEqual(rawParams, [{ path: ["a"], json: "[1,2,3]" }]);
  deepStrictEqual(params, { a: null, b: [4], n: 3 });
  strictEqual(Object.getOwnPropertyDescriptor(raw, "items")?.get !== undefined, true, "not parsed");
});
