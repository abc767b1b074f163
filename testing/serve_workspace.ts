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
 * Package folders given as arguments (absolute paths: the task runs in the workspace root) are
 * served beside them, so a plugin of your own can be tried as published, depending on
 * `jsr:@otai/cli`: `deno task registry "$PWD/acme-greeter"`.
 *
 * @module
 */
import { serveJsrRegistry } from "./jsr_registry.ts";
import { folderPackage, workspacePackages } from "./workspace_packages.ts";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const packages = await workspacePackages(new URL("../", import.meta.url));
const registry = await serveJsrRegistry(packages);
for (const folder of Deno.args) {
  // Its dry run resolves its dependencies (jsr:@otai/cli) against this registry.
  const pkg = await folderPackage(pathToFileURL(`${resolve(folder)}/`), {
    env: { JSR_URL: registry.url },
  });
  await registry.publish(pkg);
  packages.push(pkg);
}
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
