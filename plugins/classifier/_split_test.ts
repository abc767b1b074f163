import { deepEqual, notDeepEqual, ok, throws } from "node:assert/strict";
import { createRandom, shuffleInPlace, splitHoldout } from "./_split.ts";

const rows = Array.from({ length: 101 }, (_, i) => i);

Deno.test("splitHoldout() is deterministic for a seed", () => {
  deepEqual(splitHoldout(rows, 0.2, 42), splitHoldout(rows, 0.2, 42));
  notDeepEqual(splitHoldout(rows, 0.2, 42).test, splitHoldout(rows, 0.2, 43).test);
});

Deno.test("splitHoldout() partitions the rows", () => {
  const { train, test } = splitHoldout(rows);
  deepEqual(test.length, 20);
  deepEqual(train.length, 81);
  deepEqual([...train, ...test].sort((a, b) => a - b), rows);
});

Deno.test("splitHoldout() leaves its input alone", () => {
  const input = [3, 1, 2];
  splitHoldout(input, 0.5, 1);
  deepEqual(input, [3, 1, 2]);
});

Deno.test("splitHoldout() handles edge fractions", async (t) => {
  await t.step("0 holds out nothing", () => deepEqual(splitHoldout(rows, 0).test, []));
  await t.step("1 holds out everything", () => deepEqual(splitHoldout(rows, 1).train, []));
  await t.step("empty rows", () => deepEqual(splitHoldout([], 0.2), { train: [], test: [] }));
  await t.step("out of range", () => {
    throws(() => splitHoldout(rows, 1.5), RangeError);
    throws(() => splitHoldout(rows, Number.NaN), RangeError);
  });
});

Deno.test("createRandom() gives uniform floats in [0, 1)", () => {
  const random = createRandom(7);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const value = random();
    ok(value >= 0 && value < 1);
    sum += value;
  }
  ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
});

Deno.test("shuffleInPlace() keeps every item", () => {
  const items = shuffleInPlace(rows.slice(), createRandom(5));
  notDeepEqual(items, rows);
  deepEqual(items.sort((a, b) => a - b), rows);
});
