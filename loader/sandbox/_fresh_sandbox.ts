/**
 * A new sandbox for a supervised plugin (after a crash, or for a reload of its changed code):
 * set up, its services created again, started again when the plugin was; where it runs after
 * its code got stuck; and the retirement of a sandbox that a reload replaced, once the work it
 * holds is done.
 *
 * @module
 */
import { STOP_TIMEOUT_MS } from "../../core/engine/lifecycle.ts";
import { PluginSandbox, type SandboxOptions } from "./sandbox.ts";
import { mustPass } from "./_lifecycle.ts";

/** A service that lives in a plugin, as it was created. */
export interface CreatedService {
  /** Its instance id. */
  instance: string;
  /** The injectable's name. */
  name: string;
  /** Its params. */
  params: unknown;
  /** The services injected into it. */
  services: Record<string, string>;
}

/** What a new sandbox takes over from the one before. */
export interface Handover {
  /** The plugin's services, created again in it. */
  services: readonly CreatedService[];
  /** Whether the plugin's `start()` ran: it runs again in the new sandbox. */
  started: boolean;
  /** The new sandbox died (with the sandbox, so that only the current one counts). */
  died: (reason: string, sandbox: PluginSandbox, stuck: boolean) => void;
}

/**
 * Starts a sandbox that takes over from another: `setup()`, the services, and `start()` when
 * the plugin was started. A sandbox that fails any of these is stopped.
 *
 * @throws {Error} The load error or the failed hook.
 */
export async function freshSandbox(
  options: SandboxOptions,
  { services, started, died }: Handover,
): Promise<PluginSandbox> {
  const mine: { sandbox?: PluginSandbox } = {};
  const { sandbox } = await PluginSandbox.start({
    ...options,
    onExit: (reason, stuck) => mine.sandbox && died(reason, mine.sandbox, stuck),
  });
  mine.sandbox = sandbox;
  try {
    // Every sandbox of the plugin passes its setup (a license check) before any request.
    await mustPass(sandbox, "setup");
    for (const s of services) await sandbox.create(s.instance, s.name, s.params, s.services);
    if (started) await mustPass(sandbox, "start");
  } catch (e) {
    sandbox.terminate("it could not take over");
    throw e;
  }
  return sandbox;
}

/** How long a replaced sandbox may finish the work it holds. */
const RETIRE_WAIT_MS = 60_000;

/**
 * Stops a sandbox a reload replaced: its requests in flight finish first (at most a minute),
 * then its `stop()` runs when the plugin was started, then it is stopped.
 */
export async function retire(sandbox: PluginSandbox, started: boolean): Promise<void> {
  const until = Date.now() + RETIRE_WAIT_MS;
  while (sandbox.inFlight > 0 && !sandbox.deadReason && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (started && !sandbox.deadReason) await sandbox.ask({ hook: "stop" }, STOP_TIMEOUT_MS);
  sandbox.terminate("replaced by a reload");
}

/**
 * The options for the next sandbox of a plugin whose sandbox was stopped because its code would
 * not stop: a Worker moves to a process sandbox under the same permissions, since Deno cannot
 * stop a Worker that runs without pause (its thread keeps a CPU core busy until otai exits).
 */
export function afterStuck<T extends SandboxOptions>(options: T): T {
  if (options.isolation !== "worker") return options;
  options.onLog?.(
    "warning",
    "Plugin's Worker sandbox would not stop, and Deno cannot stop a Worker that runs without " +
      "pause: its thread keeps a CPU core busy until otai exits. The plugin now runs in a " +
      "process sandbox under the same permissions; set isolation: process for it",
  );
  return { ...options, isolation: "process" };
}
