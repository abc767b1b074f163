/**
 * otai as its users install it: every workspace package served by `deno task registry` in the
 * JSR layout, and the main job run from an empty folder with `deno run -A jsr:@otai/cli`, its
 * plugins from `jsr:@otai/*`: nothing of the checkout on the module path.
 */
import { match, ok, strictEqual } from "node:assert/strict";
import { ROOT } from "./_helpers.ts";

/** Starts `deno task registry` and reads the URL it prints first. */
async function startRegistry(): Promise<{ url: string } & AsyncDisposable> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "registry"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`deno task registry ended before printing its URL: ${text}`);
    text += value;
  }
  return {
    url: text.split("\n")[0]!.trim(),
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await child.status;
      await lines.cancel().catch(() => {});
    },
  };
}

Deno.test("the main job runs as published: jsr:@otai/cli with every plugin from jsr:@otai/*", async (t) => {
  await using registry = await startRegistry();
  match(registry.url, /^http:\/\/127\.0\.0\.1:\d+\/r\w+\/$/);
  const dir = await Deno.makeTempDir({ prefix: "otai-published-" });
  try {
    // Only a config and its data: the example config, unchanged, and its sample files.
    await Deno.copyFile(`${ROOT}examples/ticket_triage/config.yml`, `${dir}/config.yml`);
    await Deno.mkdir(`${dir}/samples`);
    for (const f of ["train.csv", "incoming.csv"]) {
      await Deno.copyFile(`${ROOT}examples/ticket_triage/samples/${f}`, `${dir}/samples/${f}`);
    }
    const otai = (...args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "jsr:@otai/cli@^0.1", ...args],
        cwd: dir,
        env: { JSR_URL: registry.url, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    await t.step("check: every plugin comes from the registry", async () => {
      const out = await otai("check", "config.yml");
      const stdout = new TextDecoder().decode(out.stdout);
      strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
      for (const name of ["sqlite-tickets", "classifier", "base"]) {
        match(
          stdout,
          new RegExp(`${name}@1\\.0\\.0 \\(api \\^1\\.0\\)  jsr:@otai/${name}@1\\.0\\.0\n`),
        );
      }
      const port = new URL(registry.url).host;
      strictEqual(stdout.match(new RegExp(`import: ${port}`, "g"))?.length, 3, stdout);
      ok(!stdout.includes(ROOT), `no module of the checkout: ${stdout}`);
    });
    await t.step("run: seeds, trains and triages every ticket", async () => {
      const out = await otai("config.yml");
      const stdout = new TextDecoder().decode(out.stdout);
      strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
      match(stdout, /Triage summary\n {4}new tickets seeded: +240\n {4}tickets triaged: +240/);
    });
    await t.step("deno install -g -A -n otai jsr:@otai/cli makes an otai command", async () => {
      const env = { JSR_URL: registry.url, NO_COLOR: "1" };
      const install = await new Deno.Command(Deno.execPath(), {
        args: ["install", "-g", "-A", "-n", "otai", "--root", `${dir}/tools`, "jsr:@otai/cli@^0.1"],
        cwd: dir,
        env,
      }).output();
      strictEqual(install.code, 0, new TextDecoder().decode(install.stderr));
      const out = await new Deno.Command(`${dir}/tools/bin/otai`, {
        args: ["check", "config.yml"],
        cwd: dir,
        env: { ...env, PATH: `${Deno.execPath().replace(/\/[^/]*$/, "")}:${Deno.env.get("PATH")}` },
      }).output();
      strictEqual(out.code, 0, new TextDecoder().decode(out.stderr));
      match(new TextDecoder().decode(out.stdout), /^config\.yml: ok\n/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
