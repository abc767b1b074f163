import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ConfigError } from "@otai/cli";
import { runConfig } from "@otai/cli/testing";

const hello = import.meta.resolve("../examples/hello/plugin.ts");
const names = fileURLToPath(import.meta.resolve("../examples/hello/names.txt"));
const elsewhere = fileURLToPath(import.meta.resolve("../deno.json"));

Deno.test("runConfig() runs a config object with each plugin in its sandbox under its grant", async () => {
  const [main] = await runConfig({
    plugins: [{ from: hello, permissions: { read: [names] } }],
    services: [{ id: "greeter", use: "hello:Greeter", params: { greeting: "${GREETING}" } }],
    orchestrator: {
      runners: [{
        id: "main",
        run: [
          { id: "names", use: "hello:ReadLines", params: { path: names } },
          {
            id: "greet",
            use: "hello:Greet",
            injects: { greeter: "greeter" },
            params: { who: "${{ steps.names.data.items[0] }}" },
          },
          {
            id: "outside",
            use: "hello:ReadLines",
            params: { path: elsewhere },
            continue_on_error: true,
          },
        ],
      }],
    },
  }, { env: { GREETING: "Howdy" } });
  const steps = Object.fromEntries(main!.steps.map((s) => [s.id, s]));
  strictEqual(steps.names?.status, "succeeded");
  deepStrictEqual(steps.greet?.data, {
    message: `Howdy, ${(await Deno.readTextFile(names)).split("\n")[0]!.trim()}!`,
  });
  strictEqual(steps.outside?.status, "failed");
  match(steps.outside?.error ?? "", /denied read access/);
});

Deno.test("runConfig() refuses what otai check refuses, with every problem", async () => {
  await rejects(
    runConfig({
      plugins: [{ from: hello, permissions: { read: true } }],
      services: [{ id: "greeter", use: "hello:Greeter", params: { greeting: "hi" } }],
      orchestrator: {
        runners: [{
          id: "main",
          run: [{ id: "greet", use: "hello:Greet", injects: { greetr: "greeter" } }],
        }],
      },
    }, { dir: new URL(".", import.meta.url) }),
    (e: unknown) => {
      ok(e instanceof ConfigError);
      deepStrictEqual(e.diagnostics.map((d) => [d.file, d.path, d.message]), [[
        fileURLToPath(new URL("config.yml", import.meta.url)),
        "orchestrator.runners[0].run[0].injects.greetr",
        'hello:Greet takes no service "greetr"; did you mean "greeter"? it takes: greeter (Greeter)',
      ]]);
      return true;
    },
  );
});
