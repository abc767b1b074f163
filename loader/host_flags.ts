import { resolve } from "node:path";

/** The working directory otai started in: where Deno looked for deno.json and deno.lock. */
export const STARTUP_CWD: string = Deno.cwd();

const WITH_VALUE = new Set(["--import-map", "--config", "-c"]);
const ALONE = new Set(["--no-config", "--no-npm", "--no-remote"]);

/**
 * This process's command line (Linux; it needs all permissions to read), or an empty list when
 * it cannot be read.
 */
export function commandLine(): string[] {
  try {
    return Deno.readTextFileSync("/proc/self/cmdline").split("\0").slice(0, -1);
  } catch {
    return [];
  }
}

/**
 * Like {@linkcode hostModuleFlags}, plus the `--config` Deno found by itself: a subprocess whose
 * main module is generated (a plugin sandbox) discovers no deno.json, so it gets the one this
 * process uses (found beside its main module or above, as Deno does).
 */
export function sandboxModuleFlags(): string[] {
  const flags = hostModuleFlags();
  if (flags.some((f) => /^(--config|-c|--import-map|--no-config)\b/.test(f))) return flags;
  if (!Deno.mainModule.startsWith("file:")) return flags;
  let dir = new URL(".", Deno.mainModule);
  for (let i = 0; i < 64; i++) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      const file = new URL(name, dir);
      try {
        if (Deno.statSync(file).isFile) return [...flags, `--config=${file.pathname}`];
      } catch { /* not here */ }
    }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) break;
    dir = parent;
  }
  return flags;
}

/**
 * The flags of this Deno process that decide how modules resolve (import map, config; never the lockfile, since otai hashes plugin graphs itself),
 * so that a plugin is fetched in a subprocess exactly as the host's sandboxes will import it.
 * Paths in them are made absolute (against {@linkcode STARTUP_CWD}), so the flags mean the
 * same in a subprocess started anywhere.
 */
export function hostModuleFlags(): string[] {
  const argv = commandLine();
  const own = argv.slice(1, argv.length - Deno.args.length);
  const out: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    const name = a.split("=")[0]!;
    if (ALONE.has(a)) out.push(a);
    else if (WITH_VALUE.has(name)) {
      const value = a.includes("=") ? a.slice(a.indexOf("=") + 1) : own[++i];
      if (value !== undefined) out.push(`${name}=${absolute(value)}`);
    }
  }
  return out;
}

function absolute(value: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : resolve(STARTUP_CWD, value);
}

/**
 * Whether this process runs with `--cached-only`: its module loader then fetches nothing, so a
 * Worker sandbox (which loads code through it) cannot reach the network by importing.
 */
export function runsCachedOnly(): boolean {
  const argv = commandLine();
  return argv.slice(1, argv.length - Deno.args.length).includes("--cached-only");
}
