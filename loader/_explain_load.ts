/**
 * Why a plugin module could not be loaded, in words that say what to do; a permission its
 * top-level code needed is blamed on the npm package that asked for it, when one did.
 *
 * @module
 */
import { type NpmPackage, npmPackageInStack } from "./_npm_package.ts";

/**
 * The message for an error from loading a plugin module (its manifest read with no
 * permissions, or its sandbox started).
 *
 * @param e The error; a sandbox's error may carry the guest's stack as `guestStack`.
 * @returns The message, with the fix where one is known.
 */
export function explainLoadError(e: Error): string {
  const message = e.message;
  const denied = /Requires (\w+) access(?: to "([^"]*)")?/.exec(message);
  if (!denied) return message;
  const what = message.replace(/, run again with.*$/, "");
  const stack = (e as { guestStack?: unknown }).guestStack;
  const pkg = typeof stack === "string" ? npmPackageInStack(stack) : undefined;
  if (pkg) return npmDenial(pkg, denied[1]!, denied[2], what);
  return `${what}: the module's top-level code ran with no permissions; move work that needs ` +
    "permissions into create() or run()";
}

/** An npm package the plugin imports needed a permission as soon as it was imported. */
function npmDenial(pkg: NpmPackage, kind: string, value: string | undefined, what: string) {
  const named = pkg.version ? `"${pkg.name}" (${pkg.version})` : `"${pkg.name}"`;
  const reads = kind === "env"
    ? `reads the environment${value === undefined ? "" : ` ("${value}")`}`
    : `needs ${kind} access${value === undefined ? "" : ` to "${value}"`}`;
  const values = value === undefined
    ? `[<the ${kind === "env" ? "variables" : "values"} it needs>]`
    : `["${value}"]`;
  return `the npm package ${named}, which it imports, ${reads} as soon as it is imported ` +
    `(${what}), and a plugin's top-level code runs with no permissions; import "${pkg.name}" ` +
    `where it is used, inside create() or run() (await import("${pkg.name}")), and add the ` +
    `grant: the plugin requests, and its entry in the config grants, ` +
    `permissions: { ${kind}: ${values} }`;
}
