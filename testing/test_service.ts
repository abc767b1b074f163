import type { PluginManifest, Remote, ServiceDefinition, ServiceProxy } from "../core/types.ts";
import { checkInjects } from "../core/declared_services.ts";
import { InProcessGuest } from "./_guest.ts";

/** Options for {@linkcode testService}. */
export interface TestServiceOptions {
  /**
   * Services the service gets injected, by name (its `ctx.services` in `create` and in its
   * methods): plain objects, other services from `testService`, or a `fakeTicketSystem`.
   * When the service declares its `services`, these must be exactly those.
   */
  services?: Record<string, object>;
  /** Receives what the service logs. */
  log?: (level: string, message: string, props?: Record<string, unknown>) => void;
}

/**
 * A service as `testService` returns it: typed from its definition (every method async, as
 * across a sandbox boundary), or a {@linkcode ServiceProxy} when its type is not known.
 */
export type TestedService<Service> = unknown extends Service ? ServiceProxy : Remote<Service>;

/**
 * Creates one service of a plugin in-process, through the same guest code as a sandbox, and
 * returns it as other plugins see it (every method async, arguments and results plain data).
 * Given the service's definition rather than its name, its params and methods are typed.
 *
 * @typeParam Params The service's params.
 * @typeParam Service What its `create` returns.
 * @param plugin The plugin manifest.
 * @param service The service: its definition (typed) or its name.
 * @param params The service params, as a config gives them.
 * @param options The services it gets injected, and a log sink.
 * @returns The service, every method async.
 * @throws {TypeError} When the plugin has no such service, the params are invalid, or the
 * services given are not the ones it declares.
 *
 * @example
 * ```ts
 * import { definePlugin, defineService } from "@otai/cli/plugin";
 * import { testService } from "@otai/cli/testing";
 * import { strictEqual } from "node:assert/strict";
 * const names = defineService({
 *   kind: "service",
 *   name: "Names",
 *   create: () => ({ upper: (s: string) => s.toUpperCase() }),
 * });
 * const greeter = defineService({
 *   kind: "service",
 *   name: "Greeter",
 *   services: { names: "Names" },
 *   create: (params: { greeting: string }, ctx) => ({
 *     greet: async (who: string) => `${params.greeting} ${await ctx.services.names!.upper!(who)}`,
 *   }),
 * });
 * const plugin = definePlugin({
 *   name: "hello",
 *   version: "1.0.0",
 *   api: "^1.0",
 *   injectables: [names, greeter],
 * });
 * const upper = await testService(plugin, names);
 * const hi = await testService(plugin, greeter, { greeting: "hi" }, { services: { names: upper } });
 * strictEqual(await hi.greet("ada"), "hi ADA");
 * ```
 */
export function testService<Params, Service>(
  plugin: PluginManifest,
  service: ServiceDefinition<Params, Service>,
  params?: Partial<Params>,
  options?: TestServiceOptions,
): Promise<TestedService<Service>>;
/**
 * Creates one service of a plugin in-process by its name (untyped; see the overload that takes
 * its definition).
 *
 * @param plugin The plugin manifest.
 * @param service The service name.
 * @param params The service params.
 * @param options The services it gets injected, and a log sink.
 * @returns The service proxy.
 */
export function testService(
  plugin: PluginManifest,
  service: string,
  params?: Record<string, unknown>,
  options?: TestServiceOptions,
): Promise<ServiceProxy>;
export async function testService(
  plugin: PluginManifest,
  service: string | ServiceDefinition<unknown, unknown>,
  params: unknown = {},
  options: TestServiceOptions = {},
): Promise<ServiceProxy> {
  const name = typeof service === "string" ? service : service.name;
  const def = plugin.injectables.find((i) => i.kind === "service" && i.name === name);
  if (!def) {
    throw new TypeError(
      `Cannot test service "${name}": plugin "${plugin.name}" has no such service`,
    );
  }
  const fakes = options.services ?? {};
  const aliases = Object.fromEntries(Object.keys(fakes).map((alias) => [alias, alias]));
  const key = `${plugin.name}:${name}`;
  const problems = checkInjects(key, def.services, aliases, "service entry");
  if (problems.length) {
    throw new TypeError(
      `Cannot test service "${name}": ${problems.map((p) => p.message).join("; ")}`,
    );
  }
  const instance = name;
  const guest = new InProcessGuest(plugin, fakes, options.log);
  const created = await guest.request({
    t: "create",
    id: guest.nextId(),
    name,
    instance,
    params,
    services: aliases,
  });
  if (created.status === "failed") throw rebuild(created.error);
  return new Proxy({}, {
    get(_, method) {
      if (typeof method !== "string" || method === "then") return undefined;
      return async (...args: unknown[]) => {
        const outcome = await guest.request({
          t: "invoke",
          id: guest.nextId(),
          instance,
          method,
          args,
        });
        if (outcome.status === "failed") throw rebuild(outcome.error);
        return outcome.status === "succeeded" ? outcome.data : undefined;
      };
    },
  }) as ServiceProxy;
}

function rebuild(e: { name: string; message: string }): Error {
  const error = e.name === "TypeError" ? new TypeError(e.message) : new Error(e.message);
  error.name = e.name;
  return error;
}
