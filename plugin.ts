/**
 * What a plugin module needs from otai, and nothing else: the `define*` helpers (identity
 * functions) and the contract types. Importing it costs a sandbox nothing.
 *
 * @example
 * ```ts
 * import { definePipe, definePlugin } from "@otai/cli/plugin";
 * import { strictEqual } from "node:assert/strict";
 * export default definePlugin({
 *   name: "echo",
 *   version: "1.0.0",
 *   api: "^1.0",
 *   injectables: [definePipe({ kind: "pipe", name: "Echo", run: (ctx) => ctx.params })],
 * });
 * strictEqual(typeof definePlugin, "function");
 * ```
 *
 * @module
 */
export { definePipe, definePlugin, defineService } from "./core/define.ts";
export type {
  Ticket,
  TicketChanges,
  TicketNote,
  TicketSearch,
  TicketSystem,
} from "./core/ticket.ts";
export type {
  EventMap,
  EventType,
  OtaiEvent,
  RunnerFinishedEvent,
  RunnerStartedEvent,
  StepFailedEvent,
  TicketUpdatedEvent,
} from "./core/events.ts";
export type {
  DeclaredServices,
  EventContext,
  EventHandlers,
  HealthReport,
  Injectable,
  LifecycleContext,
  PermissionName,
  Permissions,
  PermissionValue,
  PipeContext,
  PipeDefinition,
  PluginLogger,
  PluginManifest,
  Remote,
  ServiceContext,
  ServiceDefinition,
  ServiceProxy,
  SetupContext,
  StandardSchema,
  StandardSchemaResult,
  StepState,
} from "./core/types.ts";
