/**
 * `deno task registry`: serves every package of this workspace in the JSR layout on 127.0.0.1,
 * as `deno publish` would upload them, and prints the registry URL as the first line of stdout.
 * It serves until stopped (Ctrl-C or SIGTERM). Point Deno at it with `JSR_URL`:
 *
 * ```sh
 * deno task registry &                       # prints e.g. http://127.0.0.1:40123/
 * JSR_URL=http://127.0.0.1:40123/ deno run -A jsr:@otai/cli config.yml
 * ```
 *
 * @module
 */
import { serveJsrRegistry } from "./jsr_registry.ts";
import { workspacePackages } from "./workspace_packages.ts";

const packages = await workspacePackages(new URL("../", import.meta.url));
const registry = await serveJsrRegistry(packages);
console.log(registry.url);
for (const p of packages) {
  console.error(`serving ${p.name}@${p.version} (${Object.keys(p.files).length} files)`);
}
const stopped = Promise.withResolvers<void>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => stopped.resolve());
}
await stopped.promise;
await registry.close();
