import type { PipeDefinition, PluginManifest, ServiceDefinition, ServiceProxy } from "./types.ts";

/**
 * Types a plugin manifest; returns it unchanged.
 *
 * @param manifest The plugin's default export.
 * @returns The same object.
 *
 * @example
 * ```ts
 * import { definePipe, definePlugin } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const plugin = definePlugin({
 *   name: "hello",
 *   version: "1.0.0",
 *   api: "^1.0",
 *   injectables: [definePipe({ kind: "pipe", name: "Hi", run: () => ({ hi: true }) })],
 * });
 * strictEqual(plugin.name, "hello");
 * ```
 */
export function definePlugin<T extends PluginManifest>(manifest: T): T {
  return manifest;
}

/**
 * Types a pipe definition; returns it unchanged.
 *
 * @typeParam Params What `ctx.params` holds (after its schema, when it has one).
 * @typeParam Services The injected services it expects, e.g. `{ tickets: Remote<TicketSystem> }`.
 * @param pipe The pipe.
 * @returns The same object.
 *
 * @example
 * ```ts
 * import { definePipe } from "@otai/cli";
 * import { deepStrictEqual } from "node:assert/strict";
 * const upper = definePipe<{ text: string }>({
 *   kind: "pipe",
 *   name: "Upper",
 *   run: (ctx) => ({ text: ctx.params.text.toUpperCase() }),
 * });
 * deepStrictEqual(upper.name, "Upper");
 * ```
 */
export function definePipe<
  Params = Record<string, unknown>,
  Services = Record<string, ServiceProxy>,
>(
  pipe: PipeDefinition<Params, Services>,
): PipeDefinition<Params, Services> {
  return pipe;
}

/**
 * Types a service definition; returns it unchanged.
 *
 * @typeParam Params What `create` gets as params (after its schema, when it has one).
 * @typeParam Service What `create` returns (inferred when no type argument is given).
 * @param service The service.
 * @returns The same object.
 *
 * @example
 * ```ts
 * import { defineService } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * const counter = defineService({ kind: "service", name: "Counter", create: () => ({ n: 0 }) });
 * strictEqual(counter.kind, "service");
 * ```
 */
export function defineService<Params = Record<string, unknown>, Service = unknown>(
  service: ServiceDefinition<Params, Service>,
): ServiceDefinition<Params, Service> {
  return service;
}
