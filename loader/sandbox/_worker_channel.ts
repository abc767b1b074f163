import { type Channel, type ChannelEvents, type ChannelOptions, entrySource } from "./_channel.ts";

/** A Worker under Deno's permission options (the default isolation). */
export function workerChannel(options: ChannelOptions, events: ChannelEvents): Channel {
  const runtime = new URL("./guest/worker_main.ts", import.meta.url).href;
  const source = entrySource(runtime, options.url, options.maxResultBytes);
  const worker = new Worker(`data:application/javascript,${encodeURIComponent(source)}`, {
    type: "module",
    name: options.url,
    deno: { permissions: options.permissions },
  });
  worker.onmessage = (e: MessageEvent<unknown>) => events.message(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    events.exit(e.message.replace(/^Uncaught (\(in promise\) )?/, ""));
  };
  return { post: (batch) => worker.postMessage(batch), terminate: () => worker.terminate() };
}
