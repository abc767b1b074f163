/**
 * Keeps plugin code from ending its sandbox on its own (`Deno.exit`, `self.close`): the host
 * would not learn why, and the plugin's other work would vanish. Installed before plugin code
 * runs, so the plugin cannot keep a reference to the originals.
 */
export function guardExits(): void {
  const refuse = (what: string) => () => {
    throw new Error(`${what} is not allowed in a plugin; throw an error to fail the step`);
  };
  const locked = { configurable: false, writable: false };
  Object.defineProperty(Deno, "exit", { value: refuse("Deno.exit()"), ...locked });
  if (typeof (globalThis as { close?: unknown }).close === "function") {
    Object.defineProperty(globalThis, "close", { value: refuse("close()"), ...locked });
  }
}
