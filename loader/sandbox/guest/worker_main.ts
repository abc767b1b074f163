/// <reference lib="deno.worker" />
/**
 * The entry of a plugin Worker: installed before the plugin module evaluates (it is imported
 * first), it locks the sandbox down (see `_harden.ts`), catches errors nobody caught, and
 * serves the host over Worker messages. Console output goes to the plugin's log.
 *
 * @module
 */
import type { HostMessage, SandboxMessage } from "../protocol.ts";
import { PluginServer, type ServerOptions } from "./plugin_server.ts";
import { hardenGuest } from "./_harden.ts";

let server: PluginServer | undefined;
const postMessage = self.postMessage.bind(self);
const post = (batch: SandboxMessage[]) => postMessage(batch);
self.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  report(e.reason);
});
self.addEventListener("error", (e) => {
  e.preventDefault();
  report(e.error ?? e.message);
});
hardenGuest((level, message) => post([{ t: "log", level, message }]));
Object.defineProperty(globalThis, "postMessage", {
  value: () => {
    throw new Error("postMessage is not allowed in a plugin; return data from run()");
  },
  writable: false,
  configurable: false,
});

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
