/**
 * Every package of the workspace publishes: `deno publish --dry-run` (the slow-type check, the
 * files and the rewritten specifiers) passes for each, and so does a package made of README's
 * plugin example. It runs with `--no-check`: `deno task test` type-checks every package of the
 * workspace and README's examples (`deno check --doc .`) before the tests start, once.
 */
import { ok, strictEqual } from "node:assert/strict";
import { ROOT } from "./_helpers.ts";

async function dryRun(dir: string): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty", "--no-check"],
    cwd: dir,
    env: { NO_COLOR: "1" },
  }).output();
  const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, output };
}

Deno.test("deno publish --dry-run passes for every package of the workspace", async (t) => {
  const root = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  ok(root.license === "MIT" && (await Deno.stat(`${ROOT}LICENSE`)).isFile);
  for (const dir of [".", ...root.workspace as string[]]) {
    const config = JSON.parse(await Deno.readTextFile(`${ROOT}${dir}/deno.json`));
    await t.step(`${config.name}@${config.version}`, async () => {
      strictEqual(config.license, "MIT", "one license, declared in every package");
      ok((await Deno.stat(`${ROOT}${dir}/LICENSE`)).isFile, "a LICENSE file in the package");
      ok((await Deno.stat(`${ROOT}${dir}/README.md`)).isFile, "a README in the package");
      const r = await dryRun(`${ROOT}${dir}`);
      strictEqual(r.code, 0, r.output);
      ok(r.output.includes(`Simulating publish of ${config.name}@${config.version}`), r.output);
      ok(
        !/\/(tests|bench|examples)\/|_test\.ts/.test(r.output),
        `no tests published:\n${r.output}`,
      );
    });
  }
});

Deno.test("README's plugin example publishes as shown", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const section = readme.slice(readme.indexOf("## Writing a plugin"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  const dir = await Deno.makeTempDir({ prefix: "otai-publish-" });
  try {
    await Deno.writeTextFile(`${dir}/mod.ts`, code);
    await Deno.writeTextFile(`${dir}/LICENSE`, "MIT");
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({
        name: "@acme/hello",
        version: "1.2.0",
        license: "MIT",
        exports: "./mod.ts",
        imports: { "@otai/cli/plugin": `${ROOT}plugin.ts`, zod: "npm:zod@^4.6.7" },
      }),
    );
    const r = await dryRun(dir);
    strictEqual(r.code, 0, r.output);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
