import type { PipeOutcome } from "../core/contract.ts";
import type { PipeDefinition, PluginManifest, StepState } from "../core/types.ts";
import { checkInjects } from "../core/declared_services.ts";
import { InProcessGuest } from "./_guest.ts";

/** Options for {@linkcode testPipe}. */
export interface TestPipeOptions<Params = Record<string, unknown>> {
  /** The params, as rendered (before the pipe's schema applies its defaults). */
  params?: Partial<Params> & Record<string, unknown>;
  /**
   * Services by injected name: plain objects whose methods become async, services from
   * `testService`, or a `fakeTicketSystem`. When the pipe declares its `services`, these must
   * be exactly those, as `otai check` requires of a step.
   */
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
 * @typeParam Params The pipe's params, when it is given by its definition.
 * @param plugin The plugin manifest.
 * @param pipe The pipe: its name, or its definition (then `params` is typed).
 * @param options Params, fake services, steps.
 * @returns How the run ended.
 * @throws {TypeError} When the plugin has no such pipe, or the services given are not the ones
 * the pipe declares.
 *
 * @example
 * ```ts
 * import { definePipe, definePlugin } from "@otai/cli/plugin";
 * import { testPipe } from "@otai/cli/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 * const twice = definePipe<{ n: number }>({
 *   kind: "pipe",
 *   name: "Twice",
 *   run: (ctx) => ({ n: ctx.params.n * 2 }),
 * });
 * const plugin = definePlugin({ name: "math", version: "1.0.0", api: "^1.0", injectables: [twice] });
 * deepStrictEqual(await testPipe(plugin, twice, { params: { n: 2 } }), {
 *   status: "succeeded",
 *   data: { n: 4 },
 * });
 * ```
 */
export async function testPipe<Params = Record<string, unknown>>(
  plugin: PluginManifest,
  pipe: string | PipeDefinition<Params, never>,
  options: TestPipeOptions<Params> = {},
): Promise<PipeOutcome> {
  const name = typeof pipe === "string" ? pipe : pipe.name;
  const def = plugin.injectables.find((i) => i.kind === "pipe" && i.name === name);
  if (!def) {
    throw new TypeError(`Cannot test pipe "${name}": plugin "${plugin.name}" has no such pipe`);
  }
  const fakes = options.services ?? {};
  const aliases = Object.fromEntries(Object.keys(fakes).map((alias) => [alias, alias]));
  const problems = checkInjects(`${plugin.name}:${name}`, def.services, aliases, "step");
  if (problems.length) {
    throw new TypeError(`Cannot test pipe "${name}": ${problems.map((p) => p.message).join("; ")}`);
  }
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
      services: aliases,
      step: { id: "test", runner: "test" },
    }, () => options.signal?.aborted && abort());
    if (outcome.status !== "failed") return outcome;
    const { name: errorName, message } = outcome.error;
    return { status: "failed", error: { name: errorName, message } };
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}

function reasonOf(reason: unknown): { name: string; message: string } {
  return reason instanceof Error
    ? { name: reason.name, message: reason.message }
    : { name: "AbortError", message: String(reason ?? "aborted") };
}
