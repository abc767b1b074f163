import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { checkPlainData } from "./_plain_data.ts";

Deno.test("checkPlainData() accepts plain data, shared references included", () => {
  const shared = { a: 1 };
  strictEqual(
    checkPlainData({ x: [shared, shared], y: "s", z: null, n: 1.5, b: true }, 1e6),
    undefined,
  );
  strictEqual(checkPlainData(Object.assign(Object.create(null), { a: 1 }), 1e6), undefined);
});

Deno.test("checkPlainData() names where the first problem is and what to return", async (t) => {
  const cases: [string, unknown, { path: string; message: RegExp }][] = [
    ["function", { a: [1, { f: () => 1 }] }, { path: "data.a[1].f", message: /is a function/ }],
    ["Date", { at: new Date(0) }, { path: "data.at", message: /is a Date.*toISOString/ }],
    ["Map", { m: new Map() }, { path: "data.m", message: /is a Map.*Object\.fromEntries/ }],
    ["class", { c: new (class Point {})() }, {
      path: "data.c",
      message: /is a Point, not plain data/,
    }],
    ["NaN", { n: NaN }, { path: "data.n", message: /NaN is not a finite number/ }],
    ["symbol", { s: Symbol("x") }, { path: "data.s", message: /is a symbol/ }],
    ["bigint", { b: 1n }, { path: "data.b", message: /is a bigint/ }],
  ];
  for (const [name, value, want] of cases) {
    await t.step(name, () => {
      const p = checkPlainData(value, 1e6)!;
      strictEqual(p.path, want.path);
      deepStrictEqual(want.message.test(p.message), true, p.message);
    });
  }
  await t.step("cycle", () => {
    const a: Record<string, unknown> = { b: { c: 1 } };
    (a.b as Record<string, unknown>).back = a;
    const p = checkPlainData(a, 1e6)!;
    deepStrictEqual(/cycle/.test(p.message), true, JSON.stringify(p));
  });
  await t.step("size", () => {
    const p = checkPlainData({ s: "x".repeat(2_000_000) }, 1_000_000)!;
    strictEqual(p.path, "data");
    deepStrictEqual(/over the 1 MB limit/.test(p.message), true);
  });
});
