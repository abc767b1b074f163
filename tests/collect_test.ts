/** `collect:` on a `for_each`: a value per item that did not fail, over its own steps. */
import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { openConfig } from "../mod.ts";
import { fixture, runCli, stepOf, tempConfig } from "./_helpers.ts";

const config = (collect: string, concurrency = 1, where = "each") =>
  `plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
orchestrator:
  runners:
    - id: main
      run:
        - { id: list, use: "probe:Items", params: { n: 8 } }
        - id: each
          for_each: "\${{ steps.list.data.items }}"
          concurrency: ${concurrency}
${where === "each" ? `          collect: ${collect}\n` : ""}          steps:
            - id: check
              use: probe:Check
              params: { value: "\${{ item }}", fail_on: [3], skip_on: [5] }
              continue_on_error: false
        - id: after
          use: probe:Echo
${
    where === "after"
      ? `          collect: ${collect}\n`
      : ""
  }          params: { got: "\${{ steps.each.data.collected }}" }
`;

Deno.test("collect keeps a value per item that did not fail, and drops nulls", async (t) => {
  for (const concurrency of [1, 3]) {
    await t.step(`concurrency ${concurrency}`, async () => {
      const expr =
        `'\${{ steps.check.status == "succeeded" && int(item) % 2 == 0 ? {"n": item, "id": steps.check.data.value} : dyn(null) }}'`;
      await using cfg = await tempConfig(config(expr, concurrency));
      using app = await openConfig(cfg.file);
      const results = await app.run();
      const each = stepOf(results, "each");
      const data = each.data as { collected: { n: number }[]; failed: number; skipped: number };
      strictEqual(data.failed, 1);
      strictEqual(data.skipped, 1);
      // 3 failed, 5 was skipped, odd items gave null.
      deepStrictEqual(data.collected.map((c) => c.n).sort(), [0, 2, 4, 6]);
      deepStrictEqual(data.collected.find((c) => c.n === 2), { n: 2, id: 2 });
    });
  }
});

Deno.test("an expression error in collect fails that item, saying so", async () => {
  await using cfg = await tempConfig(config(`"\${{ steps.check.data.nope }}"`));
  using app = await openConfig(cfg.file);
  const each = stepOf(await app.run(), "each");
  const data = each.data as { failures: { step: string; error: string }[]; failed: number };
  strictEqual(data.failed, 8, "item 3 in its step, every other one in collect");
  match(data.failures[0]!.error, /^collect: /);
  strictEqual(data.failures.find((f) => f.step === "check")!.error, "bad value 3 (at probe.ts:53)");
});

Deno.test("collect is refused outside a for_each and when not one expression", async () => {
  for (
    const [text, re] of [
      [config(`"\${{ 1 }}"`, 1, "after"), /collect applies to for_each steps only/],
      [config("item.id"), /write collect as one expression: "\$\{\{ item\.id \}\}"/],
    ] as const
  ) {
    await using cfg = await tempConfig(text);
    const r = await runCli(["check", cfg.file]);
    strictEqual(r.code, 2, r.stderr);
    match(r.stderr, /config\.yml:\d+:\d+: /);
    match(r.stderr, re);
  }
});
