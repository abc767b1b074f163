import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { runRemoteCli, serveFiles, tempConfig } from "./_helpers.ts";
import { serveNpmRegistry } from "./_npm_registry.ts";

const TOKEN = "npm-Private-Token-8086";

/** A URL plugin that imports an npm package of the private registry. */
const PLUGIN = `import { tag } from "npm:@acme/tagger@^1.0.0";
export default {
  name: "acme-npm",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [{ kind: "pipe", name: "Tag", run: () => ({ tagged: tag("ticket") }) }],
};
`;

/** Deno's cache of this process, so that a child with another HOME still finds it. */
async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

Deno.test("a plugin's npm package from a private registry: the token from ~/.npmrc, never shown, in both sandboxes", async (t) => {
  await using registry = await serveNpmRegistry([{
    name: "@acme/tagger",
    version: "1.0.0",
    files: { "index.js": 'export const tag = (s) => "acme:" + s;\n' },
  }], TOKEN);
  await using server = serveFiles({ "/mod.ts": PLUGIN });
  const from = `${server.url}/mod.ts`;
  await using cfg = await tempConfig(`plugins:
  - from: ${from}
  - { from: "${from}", as: in-worker, isolation: worker }
orchestrator:
  runners:
    - id: main
      run: [{ id: tag, use: "acme-npm:Tag" }, { id: worker, use: "in-worker:Tag" }]
`);
  // The admin's home: its .npmrc names the registry and reads the token from the environment.
  const home = await Deno.makeTempDir({ prefix: "otai-home-" });
  await Deno.writeTextFile(
    `${home}/.npmrc`,
    `@acme:registry=${registry.url}\n//${registry.host}/:_authToken=\${ACME_NPM_TOKEN}\n`,
  );
  const env = { HOME: home, DENO_DIR: await denoDir() };
  try {
    await t.step("without the token: refused, and the message says where it goes", async () => {
      const r = await runRemoteCli(["check", cfg.file], { cwd: cfg.dir, env });
      strictEqual(r.code, 2, r.stderr);
      match(
        r.stderr,
        /npm registry 127\.0\.0\.1:\d+ refused access to the package "@acme\/tagger"/,
      );
      match(r.stderr, /\(401\)/);
      match(r.stderr, /_authToken=\$\{NPM_TOKEN\}" in ~\/\.npmrc/);
    });
    await t.step("with it: fetched, run and locked, and the token appears nowhere", async () => {
      const withToken = { ...env, ACME_NPM_TOKEN: TOKEN };
      const outputs: string[] = [];
      for (
        const args of [["run", cfg.file, "--json"], ["lock", cfg.file], [
          "plugins",
          "list",
          cfg.file,
        ]]
      ) {
        const r = await runRemoteCli([...args, "--log-level", "debug"], {
          cwd: cfg.dir,
          env: withToken,
        });
        strictEqual(r.code, 0, r.stderr);
        outputs.push(r.stdout, r.stderr);
      }
      const steps = JSON.parse(outputs[0]!).runners[0].steps;
      for (const step of steps) deepStrictEqual(step.data, { tagged: "acme:ticket" }, step.id);
      const lock = await Deno.readTextFile(`${cfg.dir}/otai.lock`);
      match(lock, /npm @acme\/tagger/, "the lock pins the npm package");
      outputs.push(lock);
      ok(outputs.every((o) => !o.includes(TOKEN)), "the token is in no output and not in the lock");
      ok(registry.seen.includes(`Bearer ${TOKEN}`));
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
