import { strictEqual } from "node:assert/strict";
import { formatReport } from "./_report.ts";

Deno.test("formatReport() writes a title and aligned key: value lines", async (t) => {
  await t.step("numbers, text and counts", () => {
    strictEqual(
      formatReport("Nightly triage", {
        fetched: 12,
        moved: 9,
        queues: { Billing: 2, Hardware: 5, "(none)": 2, Network: 3 },
        note: "all fine",
      }),
      [
        "Nightly triage",
        "  fetched: 12",
        "  moved:   9",
        "  queues:  Hardware=5, Network=3, (none)=2, Billing=2",
        "  note:    all fine",
      ].join("\n"),
    );
  });
  await t.step("lists, maps of other values, empty and missing values", () => {
    strictEqual(
      formatReport("R", {
        ids: ["1", "2"],
        last: { id: "7", ok: true, at: null },
        nested: [{ a: 1 }],
        none: null,
        empty: [],
        blank: "",
        nothing: {},
        flag: false,
      }),
      [
        "R",
        "  ids:     1, 2",
        "  last:    id=7, ok=true, at=null",
        '  nested:  {"a":1}',
        "  none:    -",
        "  empty:   -",
        "  blank:   -",
        "  nothing: -",
        "  flag:    false",
      ].join("\n"),
    );
  });
  await t.step("text over several lines stays on one", () => {
    strictEqual(formatReport("Two\nlines", { a: "x\n  y" }), "Two lines\n  a: x y");
  });
  await t.step("long lists are cut", () => {
    const counts = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, 25 - i]));
    const line = formatReport("R", { counts }).split("\n")[1]!;
    strictEqual(line.endsWith("k19=6, +5 more"), true, line);
  });
  await t.step("no values", () => strictEqual(formatReport("Only a title", {}), "Only a title"));
});
