import type { PipeOutcome } from "../core/contract.ts";
import type { PluginManifest, ServiceProxy, StepState } from "../core/types.ts";
import { InProcessGuest } from "./_guest.ts";

/** Options for {@linkcode testPipe}. */
export interface TestPipeOptions {
  /** The params, as rendered. */
  params?: Record<string, unknown>;
  /** Services by injected name: plain objects whose methods become async. */
  services?: Record<string, object>;
  /** Step states visible as `ctx.steps`. */
  steps?: Record<string, StepState>;
  /** An abort signal for `ctx.signal`. */
  signal?: AbortSignal;
  /** Receives what the pipe logs. */
  log?: (level: string, message: string, props?: Record<string, unknown>) => void;
}

/**
 * Runs one pipe of a plugin in-process through the same guest code as a sandbox: params are
 * validated against its schema, and a result that could not cross a sandbox boundary (a
 * `Date`, a `Map`, a cycle) fails here too.
 *
 * @param plugin The plugin manifest.
 * @param name The pipe name.
 * @param options Params, fake services, steps.
 * @returns How the run ended.
 * @throws {TypeError} When the plugin has no such pipe.
 */
export async function testPipe(
  plugin: PluginManifest,
  name: string,
  options: TestPipeOptions = {},
): Promise<PipeOutcome> {
  const pipe = plugin.injectables.find((i) => i.kind === "pipe" && i.name === name);
  if (!pipe) {
    throw new TypeError(`Cannot test pipe "${name}": plugin "${plugin.name}" has no such pipe`);
  }
  const fakes = options.services ?? {};
  const guest = new InProcessGuest(plugin, fakes, options.log);
  const id = guest.nextId();
  const abort = () => guest.tell({ t: "abort", id, reason: reasonOf(options.signal?.reason) });
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    const outcome = await guest.request({
      t: "run",
      id,
      pipe: name,
      params: options.params ?? {},
      scopes: [],
      steps: options.steps ?? {},
      services: Object.fromEntries(Object.keys(fakes).map((alias) => [alias, alias])),
      step: { id: "test", runner: "test" },
    }, () => options.signal?.aborted && abort());
    if (outcome.status !== "failed") return outcome;
    const { name: errorName, message } = outcome.error;
    return { status: "failed", error: { name: errorName, message } };
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}

/**
 * Creates one service of a plugin in-process, through the same guest code as a sandbox, and
 * returns it as other plugins see it (every method async, arguments and results plain data).
 *
 * @param plugin The plugin manifest.
 * @param name The service name.
 * @param params The service params.
 * @returns The service proxy.
 * @throws {TypeError} When the plugin has no such service or the params are invalid.
 */
export async function testService(
  plugin: PluginManifest,
  name: string,
  params: Record<string, unknown> = {},
): Promise<ServiceProxy> {
  const def = plugin.injectables.find((i) => i.kind === "service" && i.name === name);
  if (!def) {
    throw new TypeError(
      `Cannot test service "${name}": plugin "${plugin.name}" has no such service`,
    );
  }
  const guest = new InProcessGuest(plugin);
  const created = await guest.request({
    t: "create",
    id: guest.nextId(),
    name,
    instance: name,
    params,
    services: {},
  });
  if (created.status === "failed") throw rebuild(created.error);
  return new Proxy({}, {
    get(_, method) {
      if (typeof method !== "string" || method === "then") return undefined;
      return async (...args: unknown[]) => {
        const outcome = await guest.request({
          t: "invoke",
          id: guest.nextId(),
          instance: name,
          method,
          args,
        });
        if (outcome.status === "failed") throw rebuild(outcome.error);
        return outcome.status === "succeeded" ? outcome.data : undefined;
      };
    },
  }) as ServiceProxy;
}

function reasonOf(reason: unknown): { name: string; message: string } {
  return reason instanceof Error
    ? { name: reason.name, message: reason.message }
    : { name: "AbortError", message: String(reason ?? "aborted") };
}

function rebuild(e: { name: string; message: string }): Error {
  const error = e.name === "TypeError" ? new TypeError(e.message) : new Error(e.message);
  error.name = e.name;
  return error;
}
