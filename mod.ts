/**
 * otai: ticket automation with plugins loaded from paths, URLs and JSR, each confined to the
 * permissions its config grants.
 *
 * As a command line (`deno run -A jsr:@otai/cli config.yml`): `otai [run] config.yml`,
 * `otai check config.yml`, `otai --help`.
 *
 * As a library, for plugin authors and embedders:
 *
 * @example
 * ```ts
 * import { API_VERSION, definePipe, definePlugin } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 *
 * export default definePlugin({
 *   name: "hello",
 *   version: "1.0.0",
 *   api: "^1.0",
 *   injectables: [
 *     definePipe<{ who: string }>({
 *       kind: "pipe",
 *       name: "Greet",
 *       run: (ctx) => ({ message: `hello ${ctx.params.who}` }),
 *     }),
 *   ],
 * });
 * strictEqual(API_VERSION, "1.1.0");
 * ```
 *
 * @module
 */
export { API_VERSION } from "./core/api_version.ts";
export { definePipe, definePlugin, defineService } from "./core/define.ts";
export { ConfigError, formatDiagnostic, OtaiError } from "./core/errors.ts";
export type { Diagnostic, SourceLocation } from "./core/errors.ts";
export { loadConfig } from "./core/config/load_config.ts";
export type { LoadConfigOptions, LoadedConfig } from "./core/config/load_config.ts";
export { compileConfig } from "./core/config/compile_config.ts";
export type {
  CompileConfigOptions,
  CompiledConfig,
  CompiledPlugin,
  CompiledRunner,
  CompiledService,
  CompiledStep,
  QueueSettings,
} from "./core/config/compile_config.ts";
export type { ConfigPath } from "./core/config/config_path.ts";
export type {
  Config,
  PermissionGrant,
  PluginEntry,
  RunnerConfig,
  ServiceEntry,
  StepConfig,
} from "./core/config/schema.ts";
export { configJsonSchema } from "./core/config/json_schema.ts";
export type {
  ConfigJsonSchemaOptions,
  JsonSchema,
  ParamsSchemaOf,
} from "./core/config/json_schema.ts";
export { compileCondition, compileExpression, compileValue } from "./core/expression.ts";
export type {
  CompiledValue,
  ExpressionScope,
  FieldRef,
  RenderOptions,
  TemplateExpression,
} from "./core/expression.ts";
export { formatMs, parseDuration } from "./core/duration.ts";
export {
  envGranted,
  grantedEnvValues,
  MIN_SECRET_LENGTH,
  REDACTED,
  Secrets,
} from "./core/secrets.ts";
export { effectivePermissions, PERMISSION_NAMES } from "./core/permissions.ts";
export type { EffectivePermissions } from "./core/permissions.ts";
export { checkManifest } from "./core/manifest.ts";
export type { ManifestInfo } from "./core/manifest.ts";
export { Registry } from "./core/registry.ts";
export type { PluginHandle, PluginSource, RegistryEntry } from "./core/registry.ts";
export type {
  InjectableKind,
  InvokeOptions,
  Isolation,
  LifecycleRequest,
  LoopCounts,
  LoopFailure,
  LoopHole,
  LoopHooks,
  LoopInput,
  LoopResult,
  LoopSource,
  LoopStep,
  Outcome,
  ParamIssue,
  ParamRef,
  PermissionSet,
  PipeOutcome,
  PluginHealth,
  PluginRuntime,
  RunInput,
  ServiceCall,
  StepStates,
  WireError,
} from "./core/contract.ts";
export type { Progress, RunnerResult, RunOptions, StepResult } from "./core/engine/engine.ts";
export type { Plan, PlannedRunner, PlannedService, PlannedStep } from "./core/plan.ts";
export type { OrchestrateOptions } from "./core/orchestrator.ts";
export type { EventStats } from "./core/engine/event_bus.ts";
export { openConfig } from "./loader/open_config.ts";
export type { OpenConfig, OpenConfigOptions, RunConfigOptions } from "./loader/open_config.ts";
export type {
  Distribute,
  DistributedLoop,
  ItemOutcome,
  ItemRequest,
  ItemScope,
  RemoteLoop,
} from "./core/engine/distribute.ts";
export type { WatchOptions } from "./loader/watch_plugins.ts";
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

if (import.meta.main) {
  const { main } = await import("./cli/main.ts");
  Deno.exit(await main(Deno.args));
}
