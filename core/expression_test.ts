import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { compileValue } from "./expression.ts";

Deno.test("compileValue() names the params that are exactly another step's field, and can hold them", () => {
  const v = compileValue({
    items: "${{ steps.a.data.items }}",
    n: "${{ size(steps.a.data.items) }}",
  });
  deepStrictEqual(v.fieldRefs, [{ path: ["items"], step: "a", field: "items" }]);
  const scope = { steps: { a: { status: "succeeded", data: { items: [1, 2, 3] } } } };
  deepStrictEqual(v.render(scope), { items: [1, 2, 3], n: 3 });
  deepStrictEqual(v.render(scope, { hold: (r) => r.field === "items" }), { items: null, n: 3 });
  strictEqual(compileValue("${{ steps.a.data.items }}").render(scope), scope.steps.a.data.items);
});
