/**
 * `otai new plugin`, the whole path a plugin author takes: scaffold through the real CLI, the
 * package's own tests, `deno publish --dry-run`, then the package served from a loopback JSR
 * registry beside otai's own packages and run from a config in an empty folder, with
 * `jsr:@otai/cli`: nothing of the checkout on the module path.
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { serveJsrRegistry } from "../testing.ts";
import { folderPackage, workspacePackages } from "../testing/workspace_packages.ts";
import { ROOT, runCli } from "./_helpers.ts";

/** Runs `deno <args>` in `cwd` and returns its exit code and output. */
async function deno(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

const CONFIG = `plugins:
  - from: jsr:@scope/acme-greeter@^0.1
    permissions: {}
services:
  - id: greeter
    use: acme-greeter:Greeter
    params: { greeting: Howdy }
orchestrator:
  runners:
    - id: main
      run:
        - id: greet
          use: acme-greeter:Greet
          injects: { greeter: greeter }
          params: { who: world, shout: true }
`;

Deno.test("otai new plugin writes a package that tests, publishes and runs from JSR", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "otai-new-plugin-" });
  await using registry = await serveJsrRegistry(await workspacePackages(new URL(`file://${ROOT}`)));
  const env = { JSR_URL: registry.url };
  const plugin = `${dir}/acme-greeter`;
  try {
    await t.step("new plugin writes the package into ./acme-greeter/", async () => {
      const out = await runCli(["new", "plugin", "acme-greeter"], { cwd: dir });
      strictEqual(out.code, 0, out.stderr);
      match(out.stdout, /^Created acme-greeter\/ \(@scope\/acme-greeter 0\.1\.0\)/);
      const files = [...Deno.readDirSync(plugin)].map((e) => e.name).sort();
      deepStrictEqual(files, ["LICENSE", "README.md", "deno.json", "mod.ts", "mod_test.ts"]);
      const config = JSON.parse(await Deno.readTextFile(`${plugin}/deno.json`));
      strictEqual(config.name, "@scope/acme-greeter");
      strictEqual(config.version, "0.1.0");
      strictEqual(config.license, "MIT");
      strictEqual(config.imports["@otai/cli"], "jsr:@otai/cli@^0.1");
      const readme = await Deno.readTextFile(`${plugin}/README.md`);
      ok(readme.includes("  - from: jsr:@scope/acme-greeter@^0.1\n"), readme);
    });
    await t.step("its files are formatted and lint-clean", async () => {
      const fmt = await deno(["fmt", "--check"], plugin);
      strictEqual(fmt.code, 0, fmt.stderr);
      const lint = await deno(["lint"], plugin);
      strictEqual(lint.code, 0, lint.stdout + lint.stderr);
    });
    await t.step("its tests pass, against @otai/cli from the registry", async () => {
      const out = await deno(["task", "test"], plugin, env);
      strictEqual(out.code, 0, out.stdout + out.stderr);
      match(out.stdout, /ok \| 5 passed \| 0 failed/);
      ok(registry.requests.some((r) => r.startsWith("/@otai/cli/")), "@otai/cli came from JSR");
    });
    await t.step("deno publish --dry-run accepts it (no slow types)", async () => {
      // Its tests above type-checked it; what is left is what only publishing checks.
      const out = await deno(["publish", "--dry-run", "--no-check"], plugin, env);
      strictEqual(out.code, 0, out.stdout + out.stderr);
      match(out.stderr + out.stdout, /Simulating publish of @scope\/acme-greeter@0\.1\.0/);
      ok(!(out.stderr + out.stdout).includes("mod_test.ts"), "tests are not published");
    });
    await t.step("a config in an empty folder runs it as published", async () => {
      await registry.publish(await folderPackage(new URL(`file://${plugin}/`), { env }));
      const user = `${dir}/user`;
      await Deno.mkdir(user);
      await Deno.writeTextFile(`${user}/config.yml`, CONFIG);
      const out = await deno(
        ["run", "-A", "jsr:@otai/cli@^0.1", "--json", "config.yml"],
        user,
        env,
      );
      strictEqual(out.code, 0, out.stderr);
      const results = JSON.parse(out.stdout);
      strictEqual(results.status, "succeeded");
      deepStrictEqual(results.runners[0].steps[0].data, { message: "HOWDY, WORLD!" });
      ok(registry.requests.some((r) => r.startsWith("/@scope/acme-greeter/0.1.0/mod.ts")));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
