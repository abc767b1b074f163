import type { PluginNames } from "./_names.ts";

/** The version a new plugin starts at (in `deno.json` and its manifest). */
export const FIRST_VERSION = "0.1.0";

/** The otai package a new plugin depends on, and the zod it validates params with. */
export const DEPENDENCIES: Record<string, string> = {
  "@otai/cli": "jsr:@otai/cli@^0.1",
  "zod": "npm:zod@^4.6.7",
};

/** A new plugin's `deno.json`: its JSR name, exports, dependencies, tasks and what to publish. */
export function denoJson({ packageName }: PluginNames): string {
  const config = {
    name: packageName,
    version: FIRST_VERSION,
    license: "MIT",
    exports: { ".": "./mod.ts" },
    imports: DEPENDENCIES,
    tasks: {
      test: "deno test --doc",
      check:
        "deno fmt --check && deno lint && deno check --doc && deno publish --dry-run --allow-dirty",
    },
    publish: { exclude: ["**/*_test.ts", "deno.lock"] },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
