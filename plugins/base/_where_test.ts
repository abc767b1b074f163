import { strictEqual, throws } from "node:assert/strict";
import { compileWhere } from "./_where.ts";

Deno.test("compileWhere() evaluates CEL over item and index", async (t) => {
  const cases: [string, unknown, number, boolean][] = [
    ['item.queue == "Inbox"', { queue: "Inbox" }, 0, true],
    ['item.queue == "Inbox"', { queue: "IT" }, 0, false],
    ["index % 2 == 0", null, 4, true],
    ["index < 2", null, 3, false],
    ["item.count + 1 > 3", { count: 3 }, 0, true],
    ["item.count * 2 == index", { count: 1.5 }, 3, true],
    ['"vpn" in item.tags', { tags: ["vpn", "hw"] }, 0, true],
    ['item.tags.exists(t, t.startsWith("h"))', { tags: ["vpn", "hw"] }, 0, true],
    ['has(item.state) && item.state == "new"', { queue: "IT" }, 0, false],
    ['item.?state.orValue("new") == "new"', {}, 0, true],
    ["item > 2", 3, 0, true],
    ["item.size() > 1", "ab", 0, true],
  ];
  for (const [source, item, index, expected] of cases) {
    await t.step(source, () => strictEqual(compileWhere(source)(item, index), expected));
  }
});

Deno.test("compileWhere() compiles a source once", () => {
  strictEqual(compileWhere("item == 1"), compileWhere("item == 1"));
});

Deno.test("compileWhere() refuses what is not a condition over item and index", async (t) => {
  const cases: [string, RegExp][] = [
    [
      "item.queue ==",
      /^Cannot compile where "item.queue ==": Unexpected token: EOF \(column 14\)$/,
    ],
    ["queue == 1", /^Cannot compile where "queue == 1": Unknown variable: queue \(column 1\); /],
    ["nope(item)", /found no matching overload for 'nope\(dyn\)'/],
    ["index + 1", /^Cannot compile where "index \+ 1": it yields int, not a bool; write a /],
  ];
  for (const [source, message] of cases) {
    await t.step(
      source,
      () => throws(() => compileWhere(source), { name: "SyntaxError", message }),
    );
  }
});

Deno.test("compileWhere() names the item an evaluation fails on", async (t) => {
  await t.step("a missing key", () => {
    throws(() => compileWhere('item.queue == "IT"')({ state: "new" }, 4), {
      name: "EvalError",
      message: 'Cannot evaluate where "item.queue == "IT"" for item 4: No such key: queue ' +
        "(column 6)",
    });
  });
  await t.step("a result that is not a bool", () => {
    throws(() => compileWhere("item.flag")({ flag: "yes" }, 1), {
      name: "TypeError",
      message: 'Cannot evaluate where "item.flag" for item 1: it yielded "yes", not a bool; ' +
        'write a condition like item.queue == "Inbox"',
    });
  });
});
