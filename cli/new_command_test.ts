import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { parseCommandLine } from "./_args.ts";
import { newPlugin } from "./new_command.ts";

/** A fresh temp dir, removed on dispose. */
async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "otai-new-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Runs `newPlugin` with its stderr captured. */
async function capture(run: () => Promise<number>): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  try {
    return { code: await run(), errors };
  } finally {
    console.error = original;
  }
}

Deno.test("parseCommandLine() reads otai new plugin <name> and its --scope", async (t) => {
  const cases: [string[], unknown][] = [
    [["new", "plugin", "acme-greeter"], { command: "new", sub: "plugin", target: "acme-greeter" }],
    [["new", "plugin", "x-y", "--scope", "@acme"], {
      sub: "plugin",
      target: "x-y",
      scope: "@acme",
    }],
    [["new", "plug", "x"], { usage: 'use "otai new plugin <name>"' }],
    [["new", "plugin"], { usage: 'give exactly one plugin name: "otai new plugin <name>"' }],
    [["check", "c.yml", "--scope", "@a"], {
      usage: '--scope is only for "otai new plugin <name>"',
    }],
  ];
  for (const [args, want] of cases) {
    await t.step(args.join(" "), () => {
      const line = parseCommandLine(args) as Record<string, unknown>;
      const picked = Object.fromEntries(Object.keys(want as object).map((k) => [k, line[k]]));
      deepStrictEqual(picked, want);
    });
  }
});

Deno.test("newPlugin() refuses a name that is not kebab-case, and writes nothing", async (t) => {
  await using dir = await tempDir();
  for (const name of ["Acme", "acme_greeter", "-acme", "acme-", "acme--x", "1acme", "a", ""]) {
    await t.step(JSON.stringify(name), async () => {
      const { code, errors } = await capture(() => newPlugin(name, { cwd: dir.path }));
      strictEqual(code, 2);
      match(errors.join("\n"), /must be kebab-case .* such as "acme-greeter"/);
    });
  }
  deepStrictEqual([...Deno.readDirSync(dir.path)], []);
});

Deno.test("newPlugin() refuses a --scope that is not a JSR scope", async () => {
  await using dir = await tempDir();
  const { code, errors } = await capture(() =>
    newPlugin("acme-greeter", { cwd: dir.path, scope: "@Acme" })
  );
  strictEqual(code, 2);
  match(errors[0]!, /--scope "@Acme" is not a JSR scope; .* such as "@acme"/);
  deepStrictEqual([...Deno.readDirSync(dir.path)], []);
});

Deno.test("newPlugin() refuses a folder that is not empty, or a file, and leaves it alone", async (t) => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/taken`);
  await Deno.writeTextFile(`${dir.path}/taken/mod.ts`, "mine");
  await Deno.writeTextFile(`${dir.path}/file`, "mine");
  for (
    const [name, why] of [["taken", "exists and is not empty"], [
      "file",
      "exists and is not a folder",
    ]]
  ) {
    await t.step(name!, async () => {
      const { code, errors } = await capture(() => newPlugin(name!, { cwd: dir.path }));
      strictEqual(code, 2);
      match(errors[0]!, new RegExp(`Cannot create plugin "${name}": ".*/${name}" ${why}`));
    });
  }
  strictEqual(await Deno.readTextFile(`${dir.path}/taken/mod.ts`), "mine");
  deepStrictEqual([...Deno.readDirSync(`${dir.path}/taken`)].map((e) => e.name), ["mod.ts"]);
});

Deno.test("newPlugin() writes into an empty folder, under the scope given", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/ticket-tagger`);
  const code = await newPlugin("ticket-tagger", { cwd: dir.path, scope: "acme" });
  strictEqual(code, 0);
  const config = JSON.parse(await Deno.readTextFile(`${dir.path}/ticket-tagger/deno.json`));
  strictEqual(config.name, "@acme/ticket-tagger");
  const mod = await Deno.readTextFile(`${dir.path}/ticket-tagger/mod.ts`);
  match(mod, /\n {2}name: "ticket-tagger",\n/);
  match(mod, /\nexport \{ plugin as default \};\n$/);
  const readme = await Deno.readTextFile(`${dir.path}/ticket-tagger/README.md`);
  match(readme, /\n {2}- from: jsr:@acme\/ticket-tagger@\^0\.1\n/);
  match(readme, /\n {4}use: ticket-tagger:Greeter\n/);
});

Deno.test("newPlugin() output is as deno fmt writes it and lint-clean, for any name length", async (t) => {
  await using dir = await tempDir();
  const long = "a-very-long-plugin-name-for-a-help-desk-with-many-words-x1";
  for (const [name, scope] of [["ab", "@x1"], [long, "@a-rather-long-scope"]]) {
    await t.step(`${name!.length} characters`, async () => {
      strictEqual(await newPlugin(name!, { cwd: dir.path, scope: scope! }), 0);
      for (const tool of [["fmt", "--check"], ["lint"]]) {
        const out = await new Deno.Command(Deno.execPath(), {
          args: tool,
          cwd: `${dir.path}/${name}`,
          env: { NO_COLOR: "1" },
        }).output();
        const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
        strictEqual(out.code, 0, `deno ${tool.join(" ")}: ${text}`);
      }
    });
  }
});
