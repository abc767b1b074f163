import { match, ok, rejects, strictEqual } from "node:assert/strict";
import { openConfig } from "../mod.ts";
import { ROOT, runCli, tempConfig } from "./_helpers.ts";
import { denoDir } from "../loader/host_paths.ts";

/** A local plugin in its own folder, with a manifest that requests `permissions`. */
function pluginSource(extra = "", permissions = "{}"): string {
  return `${extra}import { definePipe, definePlugin } from "${ROOT}plugin.ts";
export default definePlugin({
  name: "cached",
  version: "1.0.0",
  api: "^1.0",
  permissions: ${permissions},
  injectables: [definePipe({ kind: "pipe", name: "Hello", run: () => ({ hello: "world" }) })],
});
`;
}

const CONFIG = `plugins:
  - from: ./plugin/mod.ts
orchestrator:
  runners:
    - id: main
      run:
        - { id: hello, use: "cached:Hello" }
`;

async function withPlugin(fn: (dir: string) => Promise<void>): Promise<void> {
  await using cfg = await tempConfig(CONFIG, { "secret.json": '{ "token": "s3cret" }' });
  await Deno.mkdir(`${cfg.dir}/plugin`);
  await Deno.writeTextFile(`${cfg.dir}/plugin/mod.ts`, pluginSource());
  {
    using app = await openConfig(cfg.file);
    const [r] = await app.run();
    strictEqual(r!.status, "succeeded");
  }
  await fn(cfg.dir);
}

Deno.test("a plugin edited after a warm start is vetted again: an import outside its folder is refused", async () => {
  await withPlugin(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/plugin/mod.ts`,
      pluginSource(`import secret from "../secret.json" with { type: "json" };\nvoid secret;\n`),
    );
    await rejects(() => openConfig(`${dir}/config.yml`), /secret\.json|outside|folder/);
  });
});

Deno.test("a plugin edited after a warm start is read again: a wider request is refused", async () => {
  await withPlugin(async (dir) => {
    await Deno.writeTextFile(`${dir}/plugin/mod.ts`, pluginSource("", `{ net: ["127.0.0.1"] }`));
    let message = "";
    try {
      using _app = await openConfig(`${dir}/config.yml`);
    } catch (e) {
      message = (e as Error).message;
    }
    match(message, /requests net access/);
  });
});

Deno.test("a second start of an unchanged plugin uses what was vetted, and still runs it", async () => {
  await withPlugin(async (dir) => {
    const kept = [];
    for (const kind of ["graphs-v1", "manifests-v1"]) {
      for await (const e of Deno.readDir(`${denoDir()}/otai/${kind}`)) {
        const text = await Deno.readTextFile(`${denoDir()}/otai/${kind}/${e.name}`);
        const mark = kind.startsWith("graphs") ? `${dir}/plugin/mod.ts` : `"name":"cached"`;
        if (text.includes(mark)) kept.push(kind);
      }
    }
    strictEqual(new Set(kept).size, 2, "its graph and manifest were kept");
    using app = await openConfig(`${dir}/config.yml`);
    const [r] = await app.run();
    strictEqual(r!.status, "succeeded");
    ok(app.plugins[0]!.manifest.injectables.some((i) => i.name === "Hello"));
  });
});

Deno.test("a plugin vetted from one directory is not vetted again from another", async () => {
  await using plugin = await tempConfig(CONFIG);
  await Deno.mkdir(`${plugin.dir}/plugin`);
  const mod = `${plugin.dir}/plugin/mod.ts`;
  await Deno.writeTextFile(mod, pluginSource());
  const config = CONFIG.replace("./plugin/mod.ts", mod);
  await using a = await tempConfig(config);
  await using b = await tempConfig(config);
  for (const cfg of [a, b]) {
    const r = await runCli(["check", "config.yml"], { cwd: cfg.dir });
    strictEqual(r.code, 0, r.stderr);
  }
  let graphs = 0;
  for await (const e of Deno.readDir(`${denoDir()}/otai/graphs-v1`)) {
    const text = await Deno.readTextFile(`${denoDir()}/otai/graphs-v1/${e.name}`).catch(() => "");
    if (text.includes(mod)) graphs++;
  }
  strictEqual(graphs, 1, "one graph kept for both directories");
});
