/**
 * The entry of a plugin subprocess (`isolation: process`): serves the host over length-framed
 * JSON on stdin and stdout. Console output of plugin code goes to the host's log instead, so it
 * cannot corrupt the frames.
 *
 * @module
 */
import type { HostMessage, SandboxMessage } from "../protocol.ts";
import { PluginServer, type ServerOptions } from "./plugin_server.ts";
import { guardExits } from "./_guards.ts";
import { readFrames, writeFrame } from "../_frames.ts";

let server: PluginServer | undefined;
const realExit = Deno.exit.bind(Deno);
const post = (batch: SandboxMessage[]) => writeFrame(Deno.stdout, batch);
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  report(e.reason);
});
globalThis.addEventListener("error", (e) => {
  e.preventDefault();
  report(e.error ?? e.message);
});
guardExits();
for (const level of ["log", "info", "debug", "warn", "error"] as const) {
  console[level] = (...args: unknown[]) =>
    post([{
      t: "log",
      level: level === "warn"
        ? "warning"
        : level === "error"
        ? "error"
        : level === "debug"
        ? "debug"
        : "info",
      message: args.map((a) => (typeof a === "string" ? a : Deno.inspect(a))).join(" "),
    }]);
}

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
  for await (const batch of readFrames<HostMessage[]>(Deno.stdin.readable, Infinity)) {
    server.receive(batch);
  }
  // The host closed the pipe: it is done with this plugin (timers the plugin left running
  // must not keep the process alive).
  realExit(0);
}
