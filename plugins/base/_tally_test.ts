import { deepStrictEqual } from "node:assert/strict";
import { tally } from "./_tally.ts";

Deno.test("tally() counts items by the value at a dot path", async (t) => {
  await t.step("a top-level field, most frequent first, then by key", () => {
    const result = tally([{ q: "b" }, { q: "a" }, { q: "b" }, { q: "c" }], "q");
    deepStrictEqual(result, { total: 4, counts: { b: 2, a: 1, c: 1 } });
    deepStrictEqual(Object.keys(result.counts), ["b", "a", "c"]);
  });
  await t.step("a nested field", () => {
    const items = [{ changes: { queue: "IT" } }, { changes: { queue: "IT" } }, { changes: {} }];
    deepStrictEqual(tally(items, "changes.queue"), {
      total: 3,
      counts: { IT: 2, "(none)": 1 },
    });
  });
  await t.step("missing, null, empty and non-object values count under (none)", () => {
    deepStrictEqual(tally([{}, { q: null }, { q: "" }, { q: [] }, null, 5, { x: { q: 1 } }], "q"), {
      total: 7,
      counts: { "(none)": 7 },
    });
  });
  await t.step("numbers and booleans count as text, objects as JSON", () => {
    deepStrictEqual(tally([{ n: 1 }, { n: 1 }, { n: true }, { n: { a: 1 } }], "n"), {
      total: 4,
      counts: { "1": 2, "true": 1, '{"a":1}': 1 },
    });
  });
  await t.step("a list counts once for each of its values", () => {
    deepStrictEqual(tally([{ tags: ["a", "b", "a"] }, { tags: ["a"] }, { tags: [] }], "tags"), {
      total: 3,
      counts: { a: 2, "(none)": 1, b: 1 },
    });
  });
  await t.step("an index into a list", () => {
    deepStrictEqual(tally([{ tags: ["x", "y"] }, { tags: ["x"] }], "tags.1"), {
      total: 2,
      counts: { "(none)": 1, y: 1 },
    });
  });
  await t.step("no items", () => deepStrictEqual(tally([], "q"), { total: 0, counts: {} }));
});
