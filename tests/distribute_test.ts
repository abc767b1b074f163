import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { type DistributedLoop, type OpenConfig, openConfig } from "../mod.ts";
import { fixture, stepOf, tempConfig } from "./_helpers.ts";

const CONFIG = `plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
orchestrator:
  runners:
    - id: main
      params: { bad: 3 }
      run:
        - { id: list, use: "probe:Items", params: { n: 6 } }
        - { id: unread, use: "probe:Echo", params: { big: "not for the jobs" } }
        - id: each
          for_each: "\${{ steps.list.data.items }}"
          DISTRIBUTE
          collect: "\${{ steps.check.data.value * 10 }}"
          steps:
            - { id: check, use: "probe:Check", params: { value: "\${{ item }}", fail_on: ["\${{ params.bad }}"] } }
`;

Deno.test("openConfig().run() with distribute reports a distributed for_each as a local one", async () => {
  await using local = await tempConfig(CONFIG.replace("DISTRIBUTE", ""));
  await using remote = await tempConfig(
    `queue: { url: "redis://127.0.0.1:1" }\n${CONFIG.replace("DISTRIBUTE", "distribute: true")}`,
  );
  const expected = await runOnce(local.file);
  await using app = await openConfig(remote.file);
  const { loops, result } = await runHandingOut(app);
  const got = stepOf([result!], "each");
  strictEqual(got.status, "failed");
  // Items of a distributed loop finish in any order.
  deepStrictEqual(sorted(got.data), sorted(stepOf(expected, "each").data));
  strictEqual(loops.length, 1);
  deepStrictEqual(loops[0]!.params, { bad: 3 });
  // What the sub-steps do not read stays out of the jobs: only the state of those steps.
  deepStrictEqual(loops[0]!.steps.unread, { status: "succeeded" });
  deepStrictEqual(loops[0]!.steps.list, { status: "succeeded" });
});

/** Runs the config, each item of a distributed loop through runItem, as a worker would. */
async function runHandingOut(app: OpenConfig) {
  const loops: DistributedLoop[] = [];
  const [result] = await app.run({
    distribute: (loop) => {
      loops.push(loop);
      return Promise.resolve({
        run: (item, index) => app.runItem({ ...loop, item, index }),
        [Symbol.asyncDispose]: () => Promise.resolve(),
      });
    },
  });
  return { loops, result };
}

async function runOnce(file: string) {
  await using app = await openConfig(file);
  return await app.run();
}

function sorted(data: unknown) {
  const d = data as { collected: number[]; failures: { item: number }[] };
  return {
    ...d,
    collected: [...d.collected].sort((a, b) => a - b),
    failures: [...d.failures].sort((a, b) => a.item - b.item),
  };
}

Deno.test("a distributed loop's jobs carry the data of the steps an if: names, no more", async () => {
  const config = CONFIG.replace("DISTRIBUTE", "distribute: true").replace(
    '        - { id: unread, use: "probe:Echo", params: { big: "not for the jobs" } }\n',
    '        - { id: unread, use: "probe:Echo", params: { big: "not for the jobs" } }\n' +
      '        - { id: flag, use: "probe:Echo", params: { on: true } }\n',
  ).replace(
    "          steps:\n",
    "          steps:\n" +
      '            - { id: gate, use: "probe:Echo", if: "steps.flag.data.on", params: { x: 1 } }\n',
  );
  await using remote = await tempConfig(`queue: { url: "redis://127.0.0.1:1" }\n${config}`);
  await using app = await openConfig(remote.file);
  const { loops, result } = await runHandingOut(app);
  const each = stepOf([result!], "each");
  strictEqual(each.status, "failed");
  // Only the item 3 fails, as without the if: the condition read the data it names.
  strictEqual((each.data as { failures: unknown[] }).failures.length, 1);
  deepStrictEqual(loops[0]!.steps.unread, { status: "succeeded" });
  deepStrictEqual(loops[0]!.steps.flag, { status: "succeeded", data: { on: true } });
});
