import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from "node:assert/strict";
import { serveJsrRegistry } from "../testing.ts";
import { runRemoteCli, serveFiles, tempConfig } from "./_helpers.ts";

/** A plugin module whose pipe reports which version ran; imports a relative helper. */
function pluginFiles(version: string, extra = "") {
  return {
    "/mod.ts": `import { tag } from "./lib/tag.ts";
export default {
  name: "remote-hello",
  version: "${version}",
  api: "^1.0",
  permissions: {${extra}},
  injectables: [{ kind: "pipe", name: "Hi", run: () => ({ hi: tag("${version}") }) }],
};
`,
    "/lib/tag.ts": `export function tag(v: string) { return "remote " + v; }\n`,
  };
}

function config(from: string, more = "") {
  return `plugins:
  - from: ${from}
${more}orchestrator:
  runners:
    - id: main
      run: { id: hi, use: "remote-hello:Hi" }
`;
}

function hi(stdout: string): unknown {
  return JSON.parse(stdout).runners[0].steps[0].data;
}

Deno.test("otai loads a URL plugin with relative imports into its sandbox", async () => {
  const files = pluginFiles("1.0.0");
  await using server = serveFiles({
    "/p/mod.ts": files["/mod.ts"],
    "/p/lib/tag.ts": files["/lib/tag.ts"],
  });
  await using cfg = await tempConfig(config(`${server.url}/p/mod.ts`));
  const r = await runRemoteCli(["run", cfg.file, "--json"], { cwd: cfg.dir });
  strictEqual(r.code, 0, r.stderr);
  deepStrictEqual(hi(r.stdout), { hi: "remote 1.0.0" });
  ok(server.requests.includes("/p/lib/tag.ts"));
});

Deno.test("otai resolves jsr: ranges to the newest match, and otai.lock pins the version", async (t) => {
  await using registry = await serveJsrRegistry([
    { name: "@acme/hello", version: "1.0.0", files: pluginFiles("1.0.0") },
    { name: "@acme/hello", version: "1.2.0", files: pluginFiles("1.2.0") },
    { name: "@acme/hello", version: "2.0.0", files: pluginFiles("2.0.0") },
  ]);
  await using cfg = await tempConfig(config("jsr:@acme/hello@^1"));
  const env = { JSR_URL: registry.url };
  await t.step("^1 runs 1.2.0 in its sandbox", async () => {
    const r = await runRemoteCli(["run", cfg.file, "--json"], { cwd: cfg.dir, env });
    strictEqual(r.code, 0, r.stderr);
    deepStrictEqual(hi(r.stdout), { hi: "remote 1.2.0" });
  });
  await t.step("otai lock records the exact version and hash", async () => {
    const r = await runRemoteCli(["lock", cfg.file], { cwd: cfg.dir, env });
    strictEqual(r.code, 0, r.stderr);
    const lock = JSON.parse(await Deno.readTextFile(`${cfg.dir}/otai.lock`));
    strictEqual(lock.plugins["jsr:@acme/hello@^1"].resolved, "jsr:@acme/hello@1.2.0");
    match(lock.plugins["jsr:@acme/hello@^1"].integrity, /^sha256-[0-9a-f]{64}$/);
  });
  await t.step("a newer 1.x on the registry does not replace the locked one", async () => {
    await registry.publish({ name: "@acme/hello", version: "1.3.0", files: pluginFiles("1.3.0") });
    const r = await runRemoteCli(["run", cfg.file, "--json"], { cwd: cfg.dir, env });
    strictEqual(r.code, 0, r.stderr);
    deepStrictEqual(hi(r.stdout), { hi: "remote 1.2.0" });
  });
  await t.step("otai lock again moves to the newer version", async () => {
    const r = await runRemoteCli(["lock", cfg.file], { cwd: cfg.dir, env });
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, /jsr:@acme\/hello@\^1 -> jsr:@acme\/hello@1\.3\.0/);
  });
  await t.step("--frozen refuses a plugin missing from the lock", async () => {
    await using other = await tempConfig(config("jsr:@acme/hello@^1"));
    const r = await runRemoteCli(["run", other.file, "--frozen"], { cwd: other.dir, env });
    strictEqual(r.code, 2);
    match(r.stderr, /it is not in otai\.lock and --frozen is set/);
  });
  await t.step("--offline runs from the cache with the registry stopped", async () => {
    const fetched = await runRemoteCli(["fetch", cfg.file], { cwd: cfg.dir, env });
    strictEqual(fetched.code, 0, fetched.stderr);
    match(fetched.stdout, /-> jsr:@acme\/hello@1\.3\.0 +sha256-[0-9a-f]{64} +\(2 modules/);
    await registry.close();
    const r = await runRemoteCli(["run", cfg.file, "--json", "--offline"], { cwd: cfg.dir, env });
    strictEqual(r.code, 0, r.stderr);
    deepStrictEqual(hi(r.stdout), { hi: "remote 1.3.0" });
    await using missing = await tempConfig(config("jsr:@acme/other@^1"));
    const m = await runRemoteCli(["run", missing.file, "--offline"], { cwd: missing.dir, env });
    strictEqual(m.code, 2);
    match(m.stderr, /not in the local cache and --offline forbids the network/);
  });
});

Deno.test("otai refuses tampered plugins with exit code 2, never Deno's exit 10", async (t) => {
  await t.step("a URL plugin whose graph differs from the pinned integrity", async () => {
    const files = pluginFiles("1.0.0");
    const served: Record<string, string> = {
      "/mod.ts": files["/mod.ts"],
      "/lib/tag.ts": files["/lib/tag.ts"],
    };
    await using server = serveFiles(served);
    await using probe = await tempConfig(config(`${server.url}/mod.ts`));
    const info = await runRemoteCli(["plugins", "info", `${server.url}/mod.ts`, "--json"], {
      cwd: probe.dir,
    });
    strictEqual(info.code, 0, info.stderr);
    const good = JSON.parse(info.stdout).source.integrity;
    // The same plugin served elsewhere with a changed helper: the graph hash must change.
    await using evil = serveFiles({
      "/mod.ts": files["/mod.ts"],
      "/lib/tag.ts": `export function tag(v: string) { return "stolen " + v; }\n`,
    });
    await using cfg = await tempConfig(config(`${evil.url}/mod.ts`, `    integrity: ${good}\n`));
    const r = await runRemoteCli(["run", cfg.file], { cwd: cfg.dir });
    strictEqual(r.code, 2, r.stderr);
    match(r.stderr, /does not match the integrity pinned in the config \(expected sha256-/);
    ok(!evil.requests.includes("/never"), "no step ran");
  });
  await t.step("a JSR package whose file does not match the registry's checksum", async () => {
    await using registry = await serveJsrRegistry([
      { name: "@acme/hello", version: "1.0.0", files: pluginFiles("1.0.0") },
    ]);
    registry.tamper(
      "@acme/hello",
      "1.0.0",
      "/lib/tag.ts",
      "export function tag() { return 'x'; }\n",
    );
    await using cfg = await tempConfig(config("jsr:@acme/hello@^1"));
    const r = await runRemoteCli(["run", cfg.file], {
      cwd: cfg.dir,
      env: { JSR_URL: registry.url },
    });
    strictEqual(r.code, 2, r.stderr);
    match(r.stderr, /does not match the checksum its registry published/);
  });
  await t.step("a JSR version republished with other content than otai.lock records", async () => {
    await using registry = await serveJsrRegistry([
      { name: "@acme/hello", version: "1.0.0", files: pluginFiles("1.0.0") },
    ]);
    const env = { JSR_URL: registry.url };
    await using cfg = await tempConfig(config("jsr:@acme/hello@^1"));
    strictEqual((await runRemoteCli(["lock", cfg.file], { cwd: cfg.dir, env })).code, 0);
    const lock = await Deno.readTextFile(`${cfg.dir}/otai.lock`);
    // A fresh registry (new URL, so nothing cached) serving other content as 1.0.0.
    await using evil = await serveJsrRegistry([
      { name: "@acme/hello", version: "1.0.0", files: pluginFiles("1.0.0", " net: true ") },
    ]);
    await Deno.writeTextFile(`${cfg.dir}/otai.lock`, lock);
    const r = await runRemoteCli(["run", cfg.file], { cwd: cfg.dir, env: { JSR_URL: evil.url } });
    strictEqual(r.code, 2, r.stderr);
    match(r.stderr, /its code changed since otai\.lock was written/);
  });
});

Deno.test("otai refuses an update that requests more than the grant, before its code runs", async () => {
  await using registry = await serveJsrRegistry([
    { name: "@acme/hello", version: "1.0.0", files: pluginFiles("1.0.0") },
  ]);
  const env = { JSR_URL: registry.url };
  await using cfg = await tempConfig(config("jsr:@acme/hello@^1"));
  strictEqual((await runRemoteCli(["run", cfg.file], { cwd: cfg.dir, env })).code, 0);
  const hostile = pluginFiles("1.0.1", " net: true ");
  hostile["/mod.ts"] = `await fetch("${registry.url}stolen").catch(() => {});\n` +
    hostile["/mod.ts"];
  await registry.publish({ name: "@acme/hello", version: "1.0.1", files: hostile });
  const r = await runRemoteCli(["run", cfg.file, "--json"], {
    cwd: cfg.dir,
    env: { ...env, DENO_DIR: await Deno.makeTempDir({ prefix: "otai-denodir-" }) },
  });
  strictEqual(r.code, 2, r.stderr);
  match(r.stderr, /Cannot load plugin "remote-hello": it requests net access/);
  ok(!registry.requests.includes("/stolen"), "the plugin's code never reached the network");
});

Deno.test("otai fails fast on hosts that hang, 404, wrong content types and foreign origins", async (t) => {
  const files = pluginFiles("1.0.0");
  await using other = serveFiles({ "/tag.ts": files["/lib/tag.ts"] });
  await using server = serveFiles({
    "/hang.ts": { hang: true },
    "/html.ts": { body: "<html></html>", type: "text/html" },
    "/redirect.ts": { redirect: `${other.url}/tag.ts` },
    "/foreign.ts": `import { tag } from "${other.url}/tag.ts";\nexport default { tag };\n`,
  });
  const cases: [string, string, RegExp][] = [
    ["/hang.ts", "fetch: { timeout: 1s }\n", /timed out after 1s/],
    ["/missing.ts", "", /Cannot fetch plugin .*: Module not found/],
    ["/html.ts", "", /served as "text\/html", which is not JavaScript or TypeScript/],
    ["/redirect.ts", "", /imports code from "127\.0\.0\.1:\d+" \(directly or by a redirect\)/],
    ["/foreign.ts", "", /imports code from "127\.0\.0\.1:\d+" .*add .* under permissions\.import/],
  ];
  for (const [path, extra, expected] of cases) {
    await t.step(path, async () => {
      await using cfg = await tempConfig(extra + config(`${server.url}${path}`));
      const started = Date.now();
      const r = await runRemoteCli(["check", cfg.file], { cwd: cfg.dir });
      strictEqual(r.code, 2, r.stderr);
      match(r.stderr, expected);
      ok(Date.now() - started < 20_000);
    });
  }
  await t.step("a redirect to an origin granted under permissions.import is followed", async () => {
    const grant = `    permissions: { import: ["${new URL(other.url).host}"] }\n`;
    await using cfg = await tempConfig(config(`${server.url}/redirect.ts`, grant));
    const r = await runRemoteCli(["check", cfg.file], { cwd: cfg.dir });
    strictEqual(r.code, 2);
    match(r.stderr, /Cannot load plugin .*redirect\.ts.*: the module has no default export/);
  });
  await t.step("a JSR registry that is down", async () => {
    await using cfg = await tempConfig(config("jsr:@acme/hello@^1"));
    const r = await runRemoteCli(["run", cfg.file], {
      cwd: cfg.dir,
      env: { JSR_URL: "http://127.0.0.1:9/" },
    });
    strictEqual(r.code, 2, r.stderr);
    match(
      r.stderr,
      /Cannot fetch plugin "jsr:@acme\/hello@\^1": .*; check the network, or run with --offline/,
    );
  });
  await t.step("plain http to another host needs insecure: true", async () => {
    await using cfg = await tempConfig(config("http://plugins.example.com/mod.ts"));
    const r = await runRemoteCli(["check", cfg.file], { cwd: cfg.dir });
    strictEqual(r.code, 2);
    match(r.stderr, /plain http is allowed for localhost only/);
  });
});

Deno.test("otai plugins info shows a remote manifest without granting anything", async () => {
  const files = pluginFiles("1.0.0", " net: true, env: ['TOKEN'] ");
  files["/mod.ts"] =
    `try { await fetch("http://127.0.0.1:1/x"); globalThis.reached = true; } catch { /* denied */ }\n` +
    files["/mod.ts"];
  await using registry = await serveJsrRegistry([
    { name: "@acme/hello", version: "1.0.0", files },
  ]);
  await using cfg = await tempConfig("");
  const r = await runRemoteCli(["plugins", "info", "jsr:@acme/hello@^1"], {
    cwd: cfg.dir,
    env: { JSR_URL: registry.url },
  });
  strictEqual(r.code, 0, r.stderr);
  match(r.stdout, /^remote-hello@1\.0\.0/);
  match(r.stdout, /api: +\^1\.0 \(satisfied by this otai, API 1\.1\.0\)/);
  match(r.stdout, /permissions: +net: all; env: TOKEN/);
  match(r.stdout, /injectables: +Hi \(pipe\)/);
  match(r.stdout, /resolved: +http:\/\/127\.0\.0\.1:\d+\/r\w+\/@acme\/hello\/1\.0\.0\/mod\.ts/);
  match(r.stdout, /integrity: +sha256-[0-9a-f]{64}/);
});

Deno.test("otai plugins list shows each plugin's status, permissions and source", async () => {
  const files = pluginFiles("1.0.0");
  await using server = serveFiles({
    "/mod.ts": files["/mod.ts"],
    "/lib/tag.ts": files["/lib/tag.ts"],
  });
  await using cfg = await tempConfig(`plugins:
  - from: ${server.url}/mod.ts
  - from: ${server.url}/missing.ts
  - from: ${server.url}/mod.ts
    as: off
    enabled: false
orchestrator:
  runners: [{ id: main, run: { id: hi, use: "remote-hello:Hi" } }]
`);
  const r = await runRemoteCli(["plugins", "list", cfg.file], { cwd: cfg.dir });
  strictEqual(r.code, 2, r.stderr);
  match(r.stdout, /plugins\[0\] .*mod\.ts: loaded\n\s+remote-hello\s+remote-hello@1\.0\.0/);
  match(r.stdout, /permissions: import: 127\.0\.0\.1:\d+/);
  match(r.stdout, /plugins\[1\] .*missing\.ts: failed: Cannot fetch plugin/);
  match(r.stdout, /plugins\[2\] .*: disabled/);
  notStrictEqual(r.stdout.indexOf("integrity: sha256-"), -1);
});

Deno.test("otai.lock pins content: the same package from another registry matches, a changed module is named", async (t) => {
  const pkg = { name: "@acme/pinned", version: "1.0.0", files: pluginFiles("1.0.0") };
  await using first = await serveJsrRegistry([pkg]);
  await using cfg = await tempConfig(config("jsr:@acme/pinned@^1"));
  const locked = await runRemoteCli(["lock", cfg.file], {
    cwd: cfg.dir,
    env: { JSR_URL: first.url },
  });
  strictEqual(locked.code, 0, locked.stderr);
  const lock = JSON.parse(await Deno.readTextFile(`${cfg.dir}/otai.lock`));
  const entry = lock.plugins["jsr:@acme/pinned@^1"];
  strictEqual(entry.package, "@acme/pinned");
  match(entry.modules["jsr:@acme/pinned@1.0.0/lib/tag.ts"], /^sha256-[0-9a-f]{64}$/);
  ok(!JSON.stringify(lock).includes("127.0.0.1"), "no host or port in the lock");
  await first.close();
  await t.step("a mirror on another port serving the same files", async () => {
    await using mirror = await serveJsrRegistry([pkg]);
    const r = await runRemoteCli(["run", cfg.file, "--json"], {
      cwd: cfg.dir,
      env: { JSR_URL: mirror.url },
    });
    strictEqual(r.code, 0, r.stderr);
    deepStrictEqual(hi(r.stdout), { hi: "remote 1.0.0" });
  });
  await t.step("a registry serving other code under the same version", async () => {
    const files = {
      ...pkg.files,
      "/lib/tag.ts": `export function tag(v: string) { return "evil " + v; }\n`,
    };
    await using other = await serveJsrRegistry([{ ...pkg, files }]);
    const r = await runRemoteCli(["run", cfg.file], { cwd: cfg.dir, env: { JSR_URL: other.url } });
    strictEqual(r.code, 2, r.stderr);
    match(
      r.stderr,
      /its code changed since otai\.lock was written \(jsr:@acme\/pinned@1\.0\.0\/lib\/tag\.ts changed\)/,
    );
  });
});

Deno.test("a private plugin server that needs a token: DENO_AUTH_TOKENS, never shown", async (t) => {
  const TOKEN = "tok-Private-Plugin-5150";
  const files = pluginFiles("1.0.0");
  const seen: (string | null)[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req.headers.get("authorization"));
    if (req.headers.get("authorization") !== `Bearer ${TOKEN}`) {
      return new Response("token required", { status: 401 });
    }
    const body = (files as Record<string, string>)[new URL(req.url).pathname.replace(/^\/\w+/, "")];
    return body === undefined
      ? new Response("not found", { status: 404 })
      : new Response(body, { headers: { "content-type": "application/typescript" } });
  });
  const host = `127.0.0.1:${server.addr.port}`;
  // A path of its own, so that no earlier test's cached module answers for it.
  const from = `http://${host}/p${crypto.randomUUID().slice(0, 8)}/mod.ts`;
  await using cfg = await tempConfig(config(from));
  await t.step("without the token: refused, and the message says what to set", async () => {
    const r = await runRemoteCli(["check", cfg.file], { cwd: cfg.dir });
    strictEqual(r.code, 2, r.stderr);
    match(r.stderr, /401/);
    match(r.stderr, /DENO_AUTH_TOKENS/);
  });
  await t.step("with it: loads, runs and locks, and the token appears nowhere", async () => {
    const env = { DENO_AUTH_TOKENS: `${TOKEN}@${host}` };
    const outputs: string[] = [];
    for (const args of [["run", cfg.file, "--json"], ["lock", cfg.file], ["fetch", cfg.file]]) {
      const r = await runRemoteCli([...args, "--log-level", "debug"], { cwd: cfg.dir, env });
      strictEqual(r.code, 0, r.stderr);
      outputs.push(r.stdout, r.stderr);
    }
    deepStrictEqual(hi(outputs[0]!), { hi: "remote 1.0.0" });
    outputs.push(await Deno.readTextFile(`${cfg.dir}/otai.lock`));
    ok(outputs.every((o) => !o.includes(TOKEN)), "the token is in no output and not in the lock");
    ok(seen.includes(`Bearer ${TOKEN}`));
  });
});

Deno.test("otai plugins search lists JSR packages with the permissions each requests", async () => {
  await using registry = await serveJsrRegistry([
    {
      name: "@acme/hello",
      version: "1.2.0",
      files: pluginFiles("1.2.0", ' net: ["api.acme.example"] '),
    },
    { name: "@acme/helpers", version: "0.3.0", files: { "/mod.ts": "export const x = 1;\n" } },
  ]);
  const queries: string[] = [];
  const catalog = [
    { scope: "acme", name: "hello", description: "Says hello\u001b[31m", latestVersion: "1.2.0" },
    { scope: "acme", name: "helpers", description: "Not a plugin", latestVersion: "0.3.0" },
  ];
  await using api = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    if (url.pathname !== "/packages") return new Response("not found", { status: 404 });
    const query = url.searchParams.get("query") ?? "";
    queries.push(query);
    const words = query.split(" ");
    const items = catalog.filter((p) =>
      words.every((w) => `${p.name} ${p.description}`.includes(w))
    );
    return Response.json({ items, total: items.length });
  });
  const env = { JSR_URL: registry.url, OTAI_JSR_API: `http://127.0.0.1:${api.addr.port}/` };
  const cwd = await Deno.makeTempDir();
  try {
    const r = await runRemoteCli(["plugins", "search", "hel"], { cwd, env });
    strictEqual(r.code, 0, r.stderr);
    deepStrictEqual(queries, ["hel"]);
    match(
      r.stdout,
      /^@acme\/hello@1\.2\.0: Says hello\\x1b\[31m\n {2}requests: net: api\.acme\.example\n/,
    );
    match(r.stdout, /@acme\/helpers@0\.3\.0: Not a plugin\n {2}\(the module has no default export/);
    const none = await runRemoteCli(["plugins", "search", "nothing", "here"], { cwd, env });
    strictEqual(none.code, 0, none.stderr);
    match(none.stdout, /no package on JSR matches "nothing here"/);
    const down = await runRemoteCli(["plugins", "search", "x"], {
      cwd,
      env: { ...env, OTAI_JSR_API: "http://127.0.0.1:9/" },
    });
    strictEqual(down.code, 1);
    match(down.stderr, /cannot search http:\/\/127\.0\.0\.1:9\/: .*set OTAI_JSR_API/);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("a package whose manifest version differs from its own is named in a warning", async () => {
  await using registry = await serveJsrRegistry([
    { name: "@acme/drift", version: "2.1.0", files: pluginFiles("1.0.0") },
  ]);
  await using cfg = await tempConfig(config("jsr:@acme/drift@^2"));
  const r = await runRemoteCli(["run", cfg.file], { cwd: cfg.dir, env: { JSR_URL: registry.url } });
  strictEqual(r.code, 0, r.stderr);
  match(
    r.stderr,
    /Plugin "remote-hello": its manifest says version "1\.0\.0", its package is "2\.1\.0"/,
  );
});
