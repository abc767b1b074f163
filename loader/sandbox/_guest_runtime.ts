/** The guest entry a process sandbox starts with. */
export const PROCESS_MAIN: string = new URL("./guest/process_main.ts", import.meta.url).href;

let cached: Promise<void> | undefined;

/**
 * Makes sure the guest runtime is in Deno's cache. A process sandbox runs `--cached-only`, so
 * when otai itself was loaded from a registry (not from files), its guest modules are fetched
 * once, by a separate `deno cache`, before the first sandbox starts.
 */
export function guestRuntimeCached(denoArgs: readonly string[] = []): Promise<void> {
  if (PROCESS_MAIN.startsWith("file:")) return Promise.resolve();
  cached ??= (async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["cache", "--quiet", "--no-lock", ...denoArgs, PROCESS_MAIN],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      cached = undefined;
      throw new Error(
        `otai's sandbox runtime could not be fetched (${
          new TextDecoder().decode(out.stderr).trim().replaceAll("\n", " | ")
        }); check the network, or run otai from a cache that holds it`,
      );
    }
  })();
  return cached;
}
