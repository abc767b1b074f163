import type { ManifestDescription, SandboxMessage } from "./protocol.ts";
import type { Channel, ChannelEvents, StartOptions } from "./_channel.ts";
import { workerChannel } from "./_worker_channel.ts";
import { processChannel } from "./_process_channel.ts";
import { guestRuntimeCached } from "./_guest_runtime.ts";
import { localChannel } from "./_local_channel.ts";

/**
 * Starts a plugin's code in the channel its isolation mode calls for, and waits until it has
 * read its manifest; from then on, `events` gets everything the sandbox sends.
 *
 * @returns The open channel and the manifest, or the error that kept the plugin from loading.
 */
export async function openChannel(
  options: StartOptions,
  events: ChannelEvents,
): Promise<{ channel: Channel; manifest: ManifestDescription } | { error: Error }> {
  const loadTimeoutMs = options.loadTimeoutMs ?? 30_000;
  let settle!: (r: { manifest?: ManifestDescription; error?: Error }) => void;
  const loaded = new Promise<{ manifest?: ManifestDescription; error?: Error }>((r) => settle = r);
  const startup = untilReady(events, settle);
  const channelOptions = {
    url: options.url,
    permissions: options.permissions,
    maxResultBytes: options.maxResultBytes ?? 64_000_000,
    ...(options.memoryMb ? { memoryMb: options.memoryMb } : {}),
    ...(options.denoArgs ? { denoArgs: options.denoArgs } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
  };
  const timer = setTimeout(
    () => settle({ error: new Error(`the module did not finish loading in ${loadTimeoutMs} ms`) }),
    loadTimeoutMs,
  );
  let channel: Channel | undefined;
  try {
    if (options.isolation === "process") await guestRuntimeCached(options.denoArgs);
    channel = options.isolation === "process"
      ? processChannel(channelOptions, startup)
      : options.isolation === "none"
      ? await localChannel(channelOptions, startup)
      : workerChannel(channelOptions, startup);
  } catch (e) {
    settle({ error: e as Error });
  }
  const result = await loaded;
  clearTimeout(timer);
  if (result.error || !channel) {
    channel?.terminate();
    return { error: result.error ?? new Error("the sandbox did not start") };
  }
  return { channel, manifest: result.manifest! };
}

/**
 * The events of a channel until its sandbox is ready: the first batch settles the start (ready,
 * a crash while loading, or an invalid manifest); everything after goes to `events`.
 */
function untilReady(
  events: ChannelEvents,
  settle: (r: { manifest?: ManifestDescription; error?: Error }) => void,
): ChannelEvents {
  let ready = false;
  return {
    message(batch: unknown) {
      if (ready) return events.message(batch);
      const first = Array.isArray(batch) ? batch[0] as SandboxMessage | undefined : undefined;
      if (first?.t === "ready" && first.manifest !== null && typeof first.manifest === "object") {
        ready = true;
        settle({ manifest: first.manifest });
        if ((batch as unknown[]).length > 1) events.message((batch as unknown[]).slice(1));
      } else if (first?.t === "crash") {
        // The guest's stack says which module threw (a plugin file, an npm package).
        const stack = first.error?.stack;
        settle({
          error: Object.assign(new Error(first.error.message), {
            name: first.error.name,
            ...(typeof stack === "string" ? { guestStack: stack.slice(0, 8192) } : {}),
          }),
        });
      } else if (first?.t === "invalid") {
        const problems = Array.isArray(first.problems) ? first.problems.map(String) : [];
        settle({ error: new InvalidManifestError(problems, first.manifest) });
      }
    },
    exit(reason) {
      if (!ready) settle({ error: new Error(reason) });
      else events.exit(reason);
    },
  };
}

/** A plugin module whose default export is not a usable manifest. */
export class InvalidManifestError extends TypeError {
  /** What is wrong, as the sandbox saw it. */
  readonly problems: string[];
  /** The manifest data, when there was an object to describe. */
  readonly manifest: ManifestDescription | undefined;
  /** Creates the error. */
  constructor(problems: string[], manifest: ManifestDescription | undefined) {
    super(problems.join("; "));
    this.name = "InvalidManifestError";
    this.problems = problems;
    this.manifest = manifest;
  }
}
