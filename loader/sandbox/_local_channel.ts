import { PluginServer } from "./guest/plugin_server.ts";
import type { Channel, ChannelEvents, ChannelOptions } from "./_channel.ts";

/** The plugin's code in the host process (`isolation: none`, trusted plugins only). */
export async function localChannel(
  options: ChannelOptions,
  events: ChannelEvents,
): Promise<Channel> {
  let alive = true;
  const server = new PluginServer((batch) => {
    if (alive) queueMicrotask(() => alive && events.message(batch));
  }, { maxResultBytes: options.maxResultBytes, rawFields: false });
  server.start(await import(options.url));
  return {
    post: (batch) => queueMicrotask(() => alive && server.receive(batch)),
    terminate: () => {
      alive = false;
    },
  };
}
