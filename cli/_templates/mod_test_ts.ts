/** A new plugin's `mod_test.ts`: its service and its pipe, run through `@otai/cli/testing`. */
export function modTestTs(): string {
  return `import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { testPipe, testService } from "@otai/cli/testing";
import plugin from "./mod.ts";

/** A stand-in for the Greeter service, as a step would inject it. */
const fakeGreeter = { greet: (who: string) => \`Hi, \${who}!\` };

Deno.test("Greeter greets with the configured greeting", async () => {
  const greeter = await testService(plugin, "Greeter", { greeting: "Howdy" });
  strictEqual(await greeter.greet("Ada"), "Howdy, Ada!");
});

Deno.test("Greeter says Hello when the config gives no greeting", async () => {
  const greeter = await testService(plugin, "Greeter");
  strictEqual(await greeter.greet("Ada"), "Hello, Ada!");
});

Deno.test("Greet greets through the injected greeter", async () => {
  const result = await testPipe(plugin, "Greet", {
    params: { who: "Ada", shout: true },
    services: { greeter: fakeGreeter },
  });
  deepStrictEqual(result, {
    status: "succeeded",
    data: { message: "HI, ADA!" },
  });
});

Deno.test("Greet refuses a step without a name to greet", async () => {
  const result = await testPipe(plugin, "Greet", {
    params: { who: "" },
    services: { greeter: fakeGreeter },
  });
  strictEqual(result.status, "failed");
});
`;
}
