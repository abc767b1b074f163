/**
 * The packages of a Deno workspace as `deno publish` would upload them: for each package, the
 * files its dry run lists, with bare specifiers written out in full (from the import maps, and
 * workspace members as `jsr:@scope/name@^version`), ready for {@linkcode serveJsrRegistry}.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { JsrPackage } from "./jsr_registry.ts";

/**
 * Reads a workspace's packages (the root, when it is one, and every member).
 *
 * @param root The workspace root folder (holding its `deno.json`).
 * @returns One {@linkcode JsrPackage} per package.
 * @throws {Error} When a package's `deno publish --dry-run` fails (its output says why).
 *
 * @example
 * ```ts ignore
 * import { serveJsrRegistry, workspacePackages } from "@otai/cli/testing";
 * await using registry = await serveJsrRegistry(await workspacePackages(new URL("./", import.meta.url)));
 * console.log(registry.url); // JSR_URL for `deno run jsr:@scope/name`
 * ```
 */
export async function workspacePackages(root: URL): Promise<JsrPackage[]> {
  const dir = new URL(root.href.endsWith("/") ? root.href : `${root.href}/`);
  const rootConfig = readJson(new URL("deno.json", dir));
  const configs = [
    { dir, config: rootConfig },
    ...(rootConfig.workspace ?? []).map((
      p: string,
    ) => {
      const at = new URL(`${p.replace(/\/?$/, "/")}`, dir);
      return { dir: at, config: readJson(new URL("deno.json", at)) };
    }),
  ].filter((c) => typeof c.config.name === "string");
  const members = new Map<string, string>(
    configs.map((c) => [c.config.name as string, `jsr:${c.config.name}@^${c.config.version}`]),
  );
  const packages: JsrPackage[] = [];
  for (const { dir: at, config } of configs) {
    const imports = { ...(rootConfig.imports ?? {}), ...(config.imports ?? {}) };
    packages.push(await readPackage(at, config, imports, members));
  }
  return packages;
}

/**
 * Reads one package folder that is not part of a workspace (a plugin of your own), as
 * {@linkcode workspacePackages} reads a member: the files its dry run lists, with the bare
 * specifiers of its import map written out.
 *
 * @param dir The package folder (holding its `deno.json`).
 * @param options `env` for its `deno publish --dry-run`, such as `JSR_URL` when its
 *   dependencies come from a loopback registry.
 * @returns The package.
 * @throws {Error} When its `deno publish --dry-run` fails (its output says why).
 *
 * @example
 * ```ts ignore
 * import { serveJsrRegistry } from "@otai/cli/testing";
 * await using registry = await serveJsrRegistry();
 * await registry.publish(await folderPackage(new URL("./acme-greeter/", import.meta.url)));
 * ```
 */
export async function folderPackage(
  dir: URL,
  options: { env?: Record<string, string> } = {},
): Promise<JsrPackage> {
  const at = new URL(dir.href.endsWith("/") ? dir.href : `${dir.href}/`);
  const config = readJson(new URL("deno.json", at));
  return await readPackage(at, config, config.imports ?? {}, new Map(), options.env);
}

async function readPackage(
  at: URL,
  // deno-lint-ignore no-explicit-any
  config: Record<string, any>,
  imports: Record<string, string>,
  members: Map<string, string>,
  env: Record<string, string> = {},
): Promise<JsrPackage> {
  const files: Record<string, string> = {};
  for (const path of await publishedFiles(at, env)) {
    const text = await Deno.readTextFile(new URL(path.slice(1), at));
    files[path] = /\.[mc]?[jt]sx?$/.test(path) ? writeOut(text, imports, members) : text;
  }
  const exports = typeof config.exports === "string" ? { ".": config.exports } : config.exports;
  return { name: config.name, version: config.version, files, exports };
}

/** The files `deno publish --dry-run` lists for the package in `dir`, as `/path`. */
async function publishedFiles(dir: URL, env: Record<string, string>): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty", "--no-check"],
    cwd: fileURLToPath(dir),
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`deno publish --dry-run failed in ${dir.pathname}:\n${text}`);
  const prefix = dir.href;
  return [...text.matchAll(/^\s+(file:\/\/\S+) \(/gm)]
    .map((m) => m[1]!)
    .filter((u) => u.startsWith(prefix))
    .map((u) => `/${decodeURIComponent(u.slice(prefix.length))}`);
}

/** Import and export specifiers in module text: `from "x"`, `import "x"`, `import("x")`. */
const SPECIFIER = /\b(from|import)(\s*\(?\s*)(["'])([^"'\n]+)\3/g;

/**
 * Writes bare specifiers out as publishing does: import-map entries (with subpaths), and
 * workspace members by name.
 */
function writeOut(
  text: string,
  imports: Record<string, string>,
  members: Map<string, string>,
): string {
  return text.replace(SPECIFIER, (whole, word, gap, quote, spec: string) => {
    const full = fullSpecifier(spec, imports, members);
    return full === spec ? whole : `${word}${gap}${quote}${full}${quote}`;
  });
}

function fullSpecifier(
  spec: string,
  imports: Record<string, string>,
  members: Map<string, string>,
): string {
  if (/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(spec)) return spec;
  if (imports[spec]) return imports[spec];
  const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
  const sub = spec.slice(pkg.length);
  if (members.has(pkg)) return `${members.get(pkg)}${sub}`;
  if (imports[pkg] && /^(npm|jsr):/.test(imports[pkg])) return `${imports[pkg]}${sub}`;
  return spec;
}

// deno-lint-ignore no-explicit-any
function readJson(url: URL): Record<string, any> {
  return JSON.parse(Deno.readTextFileSync(url));
}
