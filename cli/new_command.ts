import { join } from "node:path";
import { print } from "./_io.ts";
import { FIRST_VERSION } from "./_templates/deno_json.ts";
import { pluginFiles } from "./_templates/plugin_files.ts";

/** Options for {@linkcode newPlugin}. */
export interface NewPluginOptions {
  /** The JSR scope, with or without its `@` (default: `@scope`, a placeholder). */
  scope?: string;
  /** The folder to create the plugin's folder in (default: the working directory). */
  cwd?: string;
}

/** The scope a new plugin gets when none is given: a placeholder its README says to change. */
const PLACEHOLDER_SCOPE = "@scope";

/** A plugin name: kebab-case, as manifests require (and JSR, with 2 to 58 characters). */
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A JSR scope: 2 to 20 lowercase letters, digits and inner hyphens. */
const SCOPE = /^@[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])$/;

/**
 * `otai new plugin <name>`: writes a ready plugin package into `./<name>/` (`deno.json`,
 * `LICENSE`, `mod.ts`, `mod_test.ts`, `README.md`) whose tests pass and which
 * `deno publish --dry-run` accepts as it is.
 *
 * @param name The plugin's kebab-case name: its folder, manifest name and package name.
 * @param options The JSR scope and the folder to write in.
 * @returns 0, or 2 (with a message on stderr) for a bad name or scope, or a folder that
 *   exists and is not empty.
 *
 * @example
 * ```ts ignore
 * import { newPlugin } from "./new_command.ts";
 * const code = await newPlugin("acme-greeter", { scope: "@acme" }); // writes ./acme-greeter/
 * ```
 */
export async function newPlugin(name: string, options: NewPluginOptions = {}): Promise<number> {
  if (name.length < 2 || name.length > 58 || !KEBAB.test(name)) {
    return refuse(
      `Cannot create plugin "${name}": a plugin name must be kebab-case (lowercase letters and ` +
        `digits, words joined by "-", starting with a letter, 2 to 58 characters), such as ` +
        `"acme-greeter"`,
    );
  }
  const given = options.scope ?? PLACEHOLDER_SCOPE;
  const scope = given.startsWith("@") ? given : `@${given}`;
  if (!SCOPE.test(scope)) {
    return refuse(
      `Cannot create plugin "${name}": --scope "${given}" is not a JSR scope; use 2 to ` +
        `20 lowercase letters, digits and inner hyphens, such as "@acme"`,
    );
  }
  const dir = join(options.cwd ?? Deno.cwd(), name);
  const problem = await occupied(dir);
  if (problem) {
    return refuse(
      `Cannot create plugin "${name}": "${dir}" ${problem}; choose another name, or run ` +
        `otai new plugin in another folder`,
    );
  }
  const packageName = `${scope}/${name}`;
  const files = pluginFiles({ name, packageName, year: new Date().getFullYear() });
  await Deno.mkdir(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(dir, path), text);
  }
  return print(nextSteps(name, packageName, Object.keys(files)), 0);
}

/** Why a plugin cannot be written to `dir`, or `undefined` when it is absent or empty. */
async function occupied(dir: string): Promise<string | undefined> {
  let info;
  try {
    info = await Deno.stat(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  if (!info.isDirectory) return "exists and is not a folder";
  for await (const _ of Deno.readDir(dir)) return "exists and is not empty";
  return undefined;
}

function refuse(message: string): number {
  console.error(`otai: ${message}`);
  return 2;
}

function nextSteps(name: string, packageName: string, paths: string[]): string {
  return `Created ${name}/ (${packageName} ${FIRST_VERSION}): ${paths.join(", ")}

Next:
  cd ${name}
  deno task test     # its tests
  deno task check    # fmt, lint, type check, deno publish --dry-run
  deno publish       # once deno.json names your JSR scope (see README.md)

Use it from a config beside the folder:
  plugins:
    - from: ./${name}/mod.ts
`;
}
