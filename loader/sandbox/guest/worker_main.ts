/// <reference lib="deno.worker" />
/**
 * The entry of a plugin Worker: installed before the plugin module evaluates (it is imported
 * first), it catches errors nobody caught, keeps plugin code from closing the sandbox behind the
 * host's back, and serves the host over Worker messages.
 *
 * @module
 */
import type { HostMessage, SandboxMessage } from "../protocol.ts";
import { PluginServer, type ServerOptions } from "./plugin_server.ts";
import { guardExits } from "./_guards.ts";

let server: PluginServer | undefined;
const post = (batch: SandboxMessage[]) => self.postMessage(batch);
self.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  report(e.reason);
});
self.addEventListener("error", (e) => {
  e.preventDefault();
  report(e.error ?? e.message);
});
guardExits();

function report(error: unknown): void {
  if (server) server.crash(error, false);
  else new PluginServer(post).crash(error, true);
}

/** Serves a plugin module's namespace to the host. */
export function start(mod: Record<string, unknown>, options: ServerOptions = {}): void {
  server = new PluginServer(post, options);
  self.onmessage = (e: MessageEvent<HostMessage[]>) => server!.receive(e.data);
  server.start(mod);
}
