/**
 * The entry of a plugin subprocess (`isolation: process`): serves the host over length-framed
 * JSON on stdin and stdout, which it takes before locking the sandbox down (see `_harden.ts`),
 * so plugin code can neither read the host's requests nor write into its replies. Console
 * output and writes to stdout or stderr go to the plugin's log.
 *
 * @module
 */
import type { HostMessage, SandboxMessage } from "../protocol.ts";
import { PluginServer, type ServerOptions } from "./plugin_server.ts";
import { hardenGuest } from "./_harden.ts";
import { readFrames, writeFrame } from "../_frames.ts";

let server: PluginServer | undefined;
const realExit = Deno.exit.bind(Deno);
const stdout = Deno.stdout;
const requests = Deno.stdin.readable;
const post = (batch: SandboxMessage[]) => writeFrame(stdout, batch);
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  report(e.reason);
});
globalThis.addEventListener("error", (e) => {
  e.preventDefault();
  report(e.error ?? e.message);
});
hardenGuest((level, message) => post([{ t: "log", level, message }]));

function report(error: unknown): void {
  if (server) server.crash(error, false);
  else new PluginServer(post).crash(error, true);
}

/** Serves a plugin module's namespace to the host until stdin closes. */
export async function start(
  mod: Record<string, unknown>,
  options: ServerOptions = {},
): Promise<void> {
  server = new PluginServer(post, options);
  server.start(mod);
  for await (const batch of readFrames<HostMessage[]>(requests, Infinity)) {
    server.receive(batch);
  }
  // The host closed the pipe: it is done with this plugin (timers the plugin left running
  // must not keep the process alive).
  realExit(0);
}
