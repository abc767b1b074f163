import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { npmPackageInStack, npmPackageOf } from "./_npm_package.ts";
import { explainLoadError } from "./_explain_load.ts";

// Stacks as Deno 2.9 wrote them, captured from real runs.
const DOT_DENO = `NotCapable: Requires env access to "HOME", run again with the --allow-env flag
    at Object.getEnv [as get] (ext:deno_os/30_os.js:1:1291)
    at denoEnvGet (ext:deno_node/_process/process.ts:1:1219)
    at Object.get (ext:deno_node/_process/process.ts:1:1360)
    at file:///tmp/npmenv/node_modules/.deno/envy@1.2.3/node_modules/envy/index.js:1:54`;
const MANUAL = `NotCapable: Requires env access, run again with the --allow-env flag
    at Object.toObject (ext:deno_os/30_os.js:1:1372)
    at Object.ownKeys (ext:deno_node/_process/process.ts:1:1445)
    at Object.keys (<anonymous>)
    at file:///tmp/nm/node_modules/envy/index.js:1:25`;
const CACHE = `YAMLParseError: Flow sequence in block collection must be sufficiently indented
    at Composer.onError (file:///root/.cache/deno/npm/registry.npmjs.org/yaml/2.9.1/dist/compose/composer.js:70:34)`;
const OWN = `NotCapable: Requires env access to "TOKEN", run again with the --allow-env flag
    at Object.getEnv [as get] (ext:deno_os/30_os.js:1:1291)
    at file:///srv/plugins/acme/mod.ts:3:23`;

Deno.test("npmPackageOf() reads each layout Deno puts npm packages in", async (t) => {
  const cases: [string, ReturnType<typeof npmPackageOf>][] = [
    ["file:///h/.cache/deno/npm/registry.npmjs.org/yaml/2.9.1/dist/index.js", {
      name: "yaml",
      version: "2.9.1",
    }],
    ["file:///h/.cache/deno/npm/registry.npmjs.org/@logtape/logtape/2.4.2/dist/mod.js", {
      name: "@logtape/logtape",
      version: "2.4.2",
    }],
    ["file:///p/node_modules/.deno/@acme+env@1.0.0/node_modules/@acme/env/i.js", {
      name: "@acme/env",
      version: "1.0.0",
    }],
    ["file:///p/node_modules/.deno/a@1.0.0/node_modules/b/i.js", { name: "b" }],
    ["file:///p/node_modules/a/node_modules/b/i.js", { name: "b" }],
    ["npm:/chalk@5.3.0/source/index.js", { name: "chalk", version: "5.3.0" }],
    ["file:///srv/plugins/acme/mod.ts", undefined],
  ];
  for (const [location, expected] of cases) {
    await t.step(location, () => deepStrictEqual(npmPackageOf(location), expected));
  }
});

Deno.test("npmPackageInStack() blames the first module frame, past Deno's own", () => {
  deepStrictEqual(npmPackageInStack(DOT_DENO), { name: "envy", version: "1.2.3" });
  deepStrictEqual(npmPackageInStack(MANUAL), { name: "envy" });
  deepStrictEqual(npmPackageInStack(CACHE), { name: "yaml", version: "2.9.1" });
  strictEqual(npmPackageInStack(OWN), undefined);
});

Deno.test("explainLoadError() names the npm package and the grant to add", () => {
  const error = (stack: string) =>
    Object.assign(new Error(stack.split("\n")[0]!.replace(/^NotCapable: /, "")), {
      name: "NotCapable",
      guestStack: stack,
    });
  strictEqual(
    explainLoadError(error(DOT_DENO)),
    'the npm package "envy" (1.2.3), which it imports, reads the environment ("HOME") as soon ' +
      'as it is imported (Requires env access to "HOME"), and a plugin\'s top-level code runs ' +
      'with no permissions; import "envy" where it is used, inside create() or run() (await ' +
      'import("envy")), and add the grant: the plugin requests, and its entry in the config ' +
      'grants, permissions: { env: ["HOME"] }',
  );
  match(explainLoadError(error(MANUAL)), /permissions: \{ env: \[<the variables it needs>\] \}$/);
  match(explainLoadError(error(OWN)), /^Requires env access to "TOKEN": the module's top-level/);
  strictEqual(explainLoadError(new Error("Module not found")), "Module not found");
});
