import { match, strictEqual } from "node:assert/strict";
import { runCli, tempConfig } from "./_helpers.ts";

/**
 * A package folder laid out as Deno lays out npm packages in a `node_modules` folder, whose
 * module reads the environment as soon as it is imported (as `debug`-style packages do).
 */
const PACKAGE = "node_modules/.deno/envy@1.2.3/node_modules/envy";

const plugin = (name: string) =>
  `import { home } from "./${PACKAGE}/index.js";
export default {
  name: "${name}",
  version: "1.0.0",
  api: "^1.0",
  permissions: { env: ["HOME"] },
  injectables: [{ kind: "pipe", name: "Go", run: () => ({ home }) }],
};
`;

Deno.test("openConfig() names the npm package whose import-time code reads the environment", async () => {
  await using cfg = await tempConfig(
    `plugins:
  - from: ./in_process.ts
    permissions: { env: ["HOME"] }
  - from: ./in_worker.ts
    isolation: worker
    permissions: { env: ["HOME"] }
orchestrator:
  runners: [{ id: main, run: { id: go, use: "a:Go" } }]
`,
    { "in_process.ts": plugin("a"), "in_worker.ts": plugin("b") },
  );
  await Deno.mkdir(`${cfg.dir}/${PACKAGE}`, { recursive: true });
  await Deno.writeTextFile(
    `${cfg.dir}/${PACKAGE}/package.json`,
    JSON.stringify({ name: "envy", version: "1.2.3", type: "module" }),
  );
  await Deno.writeTextFile(
    `${cfg.dir}/${PACKAGE}/index.js`,
    "export const home = process.env.HOME;\n",
  );
  const r = await runCli(["check", cfg.file]);
  strictEqual(r.code, 2, r.stderr);
  for (const line of [2, 4]) {
    match(
      r.stderr,
      new RegExp(
        String.raw`config\.yml:${line}:11: plugins\[\d\]: Cannot load plugin "\./in_\w+\.ts": ` +
          String.raw`the npm package "envy" \(1\.2\.3\), which it imports, reads the environment ` +
          String.raw`\("HOME"\) as soon as it is imported .*permissions: \{ env: \["HOME"\] \}`,
      ),
    );
  }
});
