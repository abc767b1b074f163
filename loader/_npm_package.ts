/**
 * Which npm package a module belongs to, read from its URL or path as Deno lays npm packages
 * out: its global cache (`<DENO_DIR>/npm/registry.npmjs.org/<name>/<version>/…`), a
 * `node_modules` folder (`node_modules/.deno/<name>@<version>/node_modules/<name>/…`, or
 * `node_modules/<name>/…`), or an `npm:` specifier.
 *
 * @module
 */

/** An npm package: its name (`@scope/name` or `name`) and, when the path shows it, version. */
export interface NpmPackage {
  /** The package name. */
  name: string;
  /** Its version, when known. */
  version?: string;
}

const NAME = String.raw`(@[^/@\s]+/[^/@\s]+|[^/@.\s][^/@\s]*)`;
const CACHE = new RegExp(String.raw`/npm/[^/\s]+\.[^/\s]+/${NAME}/(\d+\.\d+\.\d+[^/\s]*)/`);
const DOT_DENO = new RegExp(String.raw`/node_modules/\.deno/([^/\s]+)/node_modules/${NAME}/`);
const NODE_MODULES = new RegExp(String.raw`/node_modules/${NAME}(?=/)`, "g");
const SPECIFIER = new RegExp(String.raw`\bnpm:/?${NAME}(?:@(\d+\.\d+\.\d+[^/\s]*))?`);

/**
 * The npm package a module URL, path or specifier lies in.
 *
 * @param location A module's URL, a file path, or an `npm:` specifier.
 * @returns The package, or undefined when the module is not in one.
 *
 * @example
 * ```ts ignore
 * npmPackageOf("file:///home/a/.cache/deno/npm/registry.npmjs.org/@acme/env/1.2.3/index.js");
 * // { name: "@acme/env", version: "1.2.3" }
 * ```
 */
export function npmPackageOf(location: string): NpmPackage | undefined {
  const cached = CACHE.exec(location);
  if (cached) return { name: cached[1]!, version: cached[2]! };
  const local = DOT_DENO.exec(location);
  if (local) {
    const name = local[2]!;
    const folder = local[1]!; // `name@version`, a scope's slash written as `+`
    const prefix = `${name.replace("/", "+")}@`;
    const version = folder.startsWith(prefix) ? folder.slice(prefix.length).split("_")[0] : "";
    return version ? { name, version } : { name };
  }
  // The innermost package of a nested node_modules path is the one whose code it is.
  const inner = [...location.matchAll(NODE_MODULES)].at(-1);
  if (inner) return { name: inner[1]! };
  const spec = SPECIFIER.exec(location);
  if (spec) return spec[2] ? { name: spec[1]!, version: spec[2] } : { name: spec[1]! };
  return undefined;
}

/**
 * The npm package of the code that threw: the first stack frame in a module (a `file:`,
 * `https:` or `npm:` location; Deno's own `ext:` and `node:` frames are skipped) decides.
 *
 * @param stack An error's stack.
 * @returns The package, or undefined when the code that threw is not in one.
 */
export function npmPackageInStack(stack: string): NpmPackage | undefined {
  for (const line of stack.split("\n")) {
    const frame = /^\s*at (?:.*\()?((?:file|https?|npm):[^\s)]+)\)?\s*$/.exec(line);
    if (frame) return npmPackageOf(frame[1]!);
  }
  return undefined;
}
