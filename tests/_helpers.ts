import { fileURLToPath } from "node:url";

/** Absolute path of a fixture plugin. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/plugins/${name}`, import.meta.url));
}

/** The project root. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));

/** A config file (and extra files) in a fresh temp dir, removed on dispose. */
export async function tempConfig(
  text: string,
  files: Record<string, string> = {},
): Promise<{ dir: string; file: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "otai-test-" });
  const file = `${dir}/config.yml`;
  await Deno.writeTextFile(file, text);
  for (const [name, content] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, content);
  }
  return {
    dir,
    file,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Runs the CLI as a subprocess; `flags` go to deno before the main module. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; flags?: string[] } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.flags ?? ["-A"]), `${ROOT}mod.ts`, ...args],
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}
