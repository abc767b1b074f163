import type { PluginNames } from "./_names.ts";

/**
 * A new plugin's `mod.ts`: a typed manifest (no slow types, so `deno publish` takes it) with a
 * `Greeter` service and a `Greet` pipe that injects it, both with zod params.
 */
export function modTs(names: PluginNames): string {
  return moduleDoc(names) + INJECTABLES + manifest(names);
}

/** The module doc, with an example that runs. */
function moduleDoc({ name, packageName }: PluginNames): string {
  return `/**
 * \`${name}\`: an otai plugin with a \`Greeter\` service and a \`Greet\` pipe
 * that greets through it. Replace them with your own.
 *
 * @example
 * \`\`\`ts
 * import plugin from "${packageName}";
 * import { testPipe } from "@otai/cli/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const result = await testPipe(plugin, "Greet", {
 *   params: { who: "Ada" },
 *   services: { greeter: { greet: (who: string) => \`Hi, \${who}!\` } },
 * });
 * deepStrictEqual(result, { status: "succeeded", data: { message: "Hi, Ada!" } });
 * \`\`\`
 *
 * @module
 */
`;
}

/** The service and the pipe. */
const INJECTABLES = `import {
  definePipe,
  definePlugin,
  defineService,
  type PluginManifest,
  type Remote,
} from "@otai/cli/plugin";
import { z } from "zod";

/** What the \`Greeter\` service offers to pipes (and to other plugins). */
export interface Greeter {
  /** A greeting for \`who\`. */
  greet(who: string): string;
}

/** The \`Greeter\` params a config gives under \`services[].params\`. */
const greeterParams = z.object({
  greeting: z.string().min(1).default("Hello"),
});

/** Greets with the configured greeting. */
const greeter = defineService<z.output<typeof greeterParams>>({
  kind: "service",
  name: "Greeter",
  description: "Greets someone with the configured greeting",
  params: greeterParams,
  create(params): Greeter {
    return { greet: (who) => \`\${params.greeting}, \${who}!\` };
  },
});

/** The \`Greet\` params a step gives; checked before \`run\` runs. */
const greetParams = z.object({
  who: z.string().min(1),
  shout: z.boolean().default(false),
});

/** Greets \`who\` through the \`Greeter\` the step injects as \`greeter\`. */
const greet = definePipe<
  z.output<typeof greetParams>,
  { greeter: Remote<Greeter> }
>({
  kind: "pipe",
  name: "Greet",
  description: "Greets params.who through the injected greeter",
  services: { greeter: "Greeter" },
  params: greetParams,
  async run(ctx) {
    const message = await ctx.services.greeter.greet(ctx.params.who);
    ctx.log.info("Greeted {who}", { who: ctx.params.who });
    return { message: ctx.params.shout ? message.toUpperCase() : message };
  },
});

`;

/** The typed manifest. */
function manifest({ name }: PluginNames): string {
  return `/** The manifest otai reads (granted nothing) before it runs any other code. */
const plugin: PluginManifest = definePlugin({
  name: "${name}",
  version: "0.1.0",
  api: "^1.0",
  description: "Greets people through a configurable Greeter service",
  // What it needs, such as { net: ["api.example.com"], env: ["ACME_TOKEN"] };
  // a config must grant each of them.
  permissions: {},
  injectables: [greeter, greet],
});
export { plugin as default };
`;
}
