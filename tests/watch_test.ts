import { match, ok, strictEqual } from "node:assert/strict";
import { main } from "../cli/main.ts";
import { ROOT, tempConfig } from "./_helpers.ts";

/** A local plugin whose pipe logs `word` and an id made when its sandbox loaded the module. */
function plugin(name: string, word: string, extra = ""): string {
  return `import { definePipe, definePlugin } from "${ROOT}plugin.ts";
const id = crypto.randomUUID().slice(0, 8);
export default definePlugin({
  name: "${name}",
  version: "1.0.0",
  api: "^1.0",${extra}
  injectables: [definePipe({
    kind: "pipe",
    name: "Say",
    run(ctx) {
      ctx.log.info("${name} says ${word} from sandbox " + id);
      return { word: "${word}" };
    },
  })],
});
`;
}

function config(on: string, isolation: string): string {
  return `plugins:
  - { from: ./live/mod.ts, isolation: ${isolation} }
  - { from: ./other/mod.ts, isolation: ${isolation} }
orchestrator:
  runners:
    - id: main${on}
      run:
        - { id: a, use: "live:Say" }
        - { id: b, use: "other:Say" }
`;
}

/** A running `otai run --watch`, with its stderr gathered as it comes. */
function watch(file: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}mod.ts`, "run", "--watch", file],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = { text: "" };
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream());
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (out.text += chunk) }),
  );
  /** Waits (at most 60 s) until stderr after `from` matches `pattern`; returns the match. */
  async function until(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const m = out.text.slice(from).match(pattern);
      if (m) return m;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${pattern} in stderr:\n${out.text}`);
  }
  async function stop(): Promise<number> {
    child.kill("SIGTERM");
    const { code } = await child.status;
    await Promise.all([stdout, stderr]);
    return code;
  }
  return { out, until, stop };
}

async function setUp(on: string, isolation = "process") {
  const cfg = await tempConfig(config(on, isolation));
  for (const name of ["live", "other"]) {
    await Deno.mkdir(`${cfg.dir}/${name}`);
    await Deno.writeTextFile(`${cfg.dir}/${name}/mod.ts`, plugin(name, "one"));
  }
  return cfg;
}

Deno.test("otai run --watch reloads a changed plugin alone; scheduled runners go on", async () => {
  await using cfg = await setUp("\n      on: { interval: 200ms }");
  const otai = watch(cfg.file);
  let code;
  try {
    const first = await otai.until(/other says one from sandbox (\w+)/);
    const live = (await otai.until(/live says one from sandbox (\w+)/))[1];
    const mod = `${cfg.dir}/live/mod.ts`;
    await Deno.writeTextFile(mod, plugin("live", "two"));
    await otai.until(/reloaded plugin live \(live\/mod\.ts changed\)/);
    let at = otai.out.text.length;
    const second = await otai.until(/live says two from sandbox (\w+)/, at);
    ok(second[1] !== live, "the live plugin runs in a new sandbox");
    // The other plugin still runs in the sandbox it started in.
    strictEqual((await otai.until(/other says one from sandbox (\w+)/, at))[1], first[1]);

    at = otai.out.text.length;
    await Deno.writeTextFile(mod, plugin("live", "three").replace("run(ctx) {", "run(ctx) {{"));
    const broken = await otai.until(/Cannot reload plugin "live" \(live\/mod\.ts changed\).*/, at);
    match(broken[0], /mod\.ts:\d+/);
    await otai.until(/live says two/, otai.out.text.length);

    at = otai.out.text.length;
    await Deno.writeTextFile(mod, plugin("live", "four", `\n  permissions: { env: true },`));
    match(
      (await otai.until(/Cannot reload plugin "live".*/, at))[0],
      /requests env access, which .*config\.yml:2 does not grant/,
    );
    await otai.until(/live says two/, otai.out.text.length);

    await Deno.writeTextFile(mod, plugin("live", "five"));
    await otai.until(/live says five/, at);
    strictEqual((await otai.until(/other says one from sandbox (\w+)/, at))[1], first[1]);
  } finally {
    code = await otai.stop();
  }
  strictEqual(code, 0, otai.out.text);
  ok(!/other.*(restart|reloaded)/.test(otai.out.text), otai.out.text);
});

Deno.test("otai run --watch runs one-shot runners again after a reload (worker)", async () => {
  // In Worker sandboxes too: a new Worker loads the changed module, not the one cached before.
  await using cfg = await setUp("", "worker");
  const otai = watch(cfg.file);
  let code;
  try {
    const first = await otai.until(/other says one from sandbox (\w+)/);
    await otai.until(/they run again after a plugin reloads/);
    await Deno.writeTextFile(`${cfg.dir}/live/mod.ts`, plugin("live", "two"));
    const at = otai.out.text.length;
    await otai.until(/live says two/, at);
    strictEqual((await otai.until(/other says one from sandbox (\w+)/, at))[1], first[1]);
  } finally {
    code = await otai.stop();
  }
  strictEqual(code, 0, otai.out.text);
  match(otai.out.text, /stopping after the current work/);
});

Deno.test("otai run --watch is refused with --json and for check", async () => {
  for (const args of [["run", "--watch", "--json", "x.yml"], ["check", "--watch", "x.yml"]]) {
    strictEqual(await main(args), 2);
  }
});
