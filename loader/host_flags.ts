/** The working directory otai started in: where Deno looked for deno.json and deno.lock. */
export const STARTUP_CWD: string = Deno.cwd();

const WITH_VALUE = new Set(["--import-map", "--config", "-c", "--lock"]);
const ALONE = new Set(["--no-config", "--no-lock", "--no-npm", "--no-remote"]);

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
 * The flags of this Deno process that decide how modules resolve (import map, config, lock),
 * so that a plugin is fetched in a subprocess exactly as the host's sandboxes will import it.
 * Relative paths in them are relative to {@linkcode STARTUP_CWD}.
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
      if (a.includes("=")) out.push(a);
      else if (i + 1 < own.length) out.push(a, own[++i]!);
    }
  }
  return out;
}
