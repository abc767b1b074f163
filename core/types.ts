/**
 * The public plugin contract: what a plugin module default-exports and what its code receives.
 *
 * A plugin needs no runtime import of otai: these are types only, and the `define*` helpers are
 * identity functions.
 *
 * @module
 */
import type { EventMap, EventType } from "./events.ts";

/** One Deno permission kind in a grant or request: `true` for all, or a list of values. */
export type PermissionValue = boolean | readonly string[];

/**
 * Deno permissions, by Deno's own names. Used both for what a plugin requests in its manifest
 * and for what a config grants under `permissions:`.
 */
export interface Permissions {
  /** Hosts (`host`, `host:port`) the code may connect to. */
  net?: PermissionValue | undefined;
  /** Paths the code may read. */
  read?: PermissionValue | undefined;
  /** Paths the code may write. */
  write?: PermissionValue | undefined;
  /** Environment variable names the code may read. */
  env?: PermissionValue | undefined;
  /** Programs the code may run. */
  run?: PermissionValue | undefined;
  /** System information APIs (`hostname`, `osRelease`, ...). */
  sys?: PermissionValue | undefined;
  /** Dynamic libraries the code may load. */
  ffi?: PermissionValue | undefined;
  /** Remote hosts the code may import modules from. */
  import?: PermissionValue | undefined;
}

/** The permission kinds otai knows, in a stable order. */
export type PermissionName = keyof Permissions;

/**
 * A schema that follows the Standard Schema interface (zod 4, valibot, arktype and others
 * implement it), used to validate a pipe's or service's params before its code runs.
 */
export interface StandardSchema<Output = unknown> {
  /** The Standard Schema properties. */
  readonly "~standard": {
    /** The Standard Schema version, always 1. */
    readonly version: 1;
    /** The library that made the schema. */
    readonly vendor: string;
    /** Validates a value, synchronously or not. */
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  };
}

/** The result of {@linkcode StandardSchema} validation. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
    readonly issues: ReadonlyArray<{
      readonly message: string;
      readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
    }>;
  };

/** A logger handed to plugin code; records go to the host's log under the plugin's category. */
export interface PluginLogger {
  /** Logs a debug record. */
  debug(message: string, properties?: Record<string, unknown>): void;
  /** Logs an info record. */
  info(message: string, properties?: Record<string, unknown>): void;
  /** Logs a warning record. */
  warn(message: string, properties?: Record<string, unknown>): void;
  /** Logs an error record. */
  error(message: string, properties?: Record<string, unknown>): void;
}

/**
 * A service as another plugin's code sees it: every method is called asynchronously across the
 * sandbox boundary, so each returns a promise.
 */
export type ServiceProxy = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * A service object as another plugin sees it across the sandbox boundary: every method async.
 * Use it to type the services a pipe expects:
 * `definePipe<Params, { greeter: Remote<Greeter> }>(...)`.
 */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** The outcome of a step, as `ctx.steps.<id>` and `steps.<id>` in expressions show it. */
export interface StepState {
  /** How the step ended. */
  status: "succeeded" | "failed" | "skipped";
  /** The object the pipe returned, when it succeeded. */
  data?: unknown;
  /** The failure message, when it failed. */
  error?: string;
  /** Why it was skipped, when it was skipped. */
  reason?: string;
}

/** What a service's `create` receives besides its params. */
export interface ServiceContext {
  /** The service id in the config. */
  id: string;
  /** Services injected by the config's `injects`, by key. */
  services: Record<string, ServiceProxy>;
  /** The plugin's logger. */
  log: PluginLogger;
}

/** What a pipe's `run` receives. */
export interface PipeContext<
  Params = Record<string, unknown>,
  Services = Record<string, ServiceProxy>,
> {
  /** The step's params, rendered and validated. */
  params: Params;
  /**
   * Services injected by the step's `injects`, by key. Declare their types with the second type
   * parameter of `definePipe` (see {@linkcode Remote}); the config decides what is injected.
   */
  services: Services;
  /**
   * The steps visible from this step (this item's sub-steps first, then the enclosing ones):
   * their status, and error or reason. Their data is not sent along, since it can be large and
   * would cross the sandbox boundary again for every later step; pass the data a pipe needs
   * through its params, e.g. `tickets: "${{ steps.fetch.data.tickets }}"`.
   */
  steps: Record<string, Omit<StepState, "data">>;
  /** The step id and runner it runs in. */
  step: { id: string; runner: string };
  /** The plugin's logger. */
  log: PluginLogger;
  /** Aborted when the step times out or the host shuts down. */
  signal: AbortSignal;
  /** Ends the step as skipped with a reason; never returns. */
  skip(reason?: string): never;
}

/**
 * The services an injectable takes: the name the config injects each under, and the interface
 * it expects (`{ tickets: "TicketSystem" }`, shown in messages, not compared). `otai check`
 * refuses an entry that misses one or injects a name not declared; absent, any `injects` pass.
 */
export type DeclaredServices = Readonly<Record<string, string>>;

/**
 * A service: a long-lived object created once per config entry and injected into steps;
 * `Service` is what `create` returns.
 */
export interface ServiceDefinition<Params = Record<string, unknown>, Service = unknown> {
  /** Always `"service"`. */
  kind: "service";
  /** PascalCase name; registered as `prefix:Name`. */
  name: string;
  /** One line on what it does, shown by `otai check`. */
  description?: string;
  /** Validates the service params before `create` runs. */
  params?: StandardSchema<Params>;
  /** The services its entry must inject. */
  services?: DeclaredServices;
  /**
   * Creates the service object; its methods become callable from other plugins. At shutdown
   * (after the runners stopped, before the manifest's `stop()`), its
   * `[Symbol.asyncDispose]()`, `[Symbol.dispose]()` or `close()` runs (the first it has), in
   * its sandbox, within 5 s; an error there is logged as a warning.
   */
  create(params: Params, ctx: ServiceContext): Service | Promise<Service>;
}

/** A pipe: one unit of work a step runs. */
export interface PipeDefinition<
  Params = Record<string, unknown>,
  Services = Record<string, ServiceProxy>,
> {
  /** Always `"pipe"`. */
  kind: "pipe";
  /** PascalCase name; registered as `prefix:Name`. */
  name: string;
  /** One line on what it does, shown by `otai check`. */
  description?: string;
  /** Validates the step params before `run` runs. */
  params?: StandardSchema<Params>;
  /** The services a step running it must inject. */
  services?: DeclaredServices;
  /** Does the work; the returned object is the step's data. */
  run(ctx: PipeContext<Params, Services>): unknown | Promise<unknown>;
}

/** Anything a plugin registers. */
// deno-lint-ignore no-explicit-any
export type Injectable = ServiceDefinition<any, any> | PipeDefinition<any, any>;

/** The default export of a plugin module. */
export interface PluginManifest {
  /** kebab-case name; the default registry prefix. */
  name: string;
  /** The plugin's own semver version. */
  version: string;
  /** The otai plugin API range it supports, e.g. `"^1.0"`. */
  api: string;
  /** One line on what it does. */
  description?: string;
  /** What its code needs; it gets at most what the config also grants. */
  permissions?: Permissions;
  /** The services and pipes it registers. */
  injectables: readonly Injectable[];
  /**
   * Runs once in each of the plugin's sandboxes after it loaded, under the plugin's
   * permissions (its granted env and net: a license check), before any service is created or
   * step runs. If it throws, `otai run` and `otai check` stop with exit code 2 and its message
   * (secrets redacted); no step runs. It has 30 s; `ctx.signal` aborts then.
   */
  setup?(ctx: SetupContext): void | Promise<void>;
  /**
   * Runs once when `otai run` starts its runners: after every plugin's setup and every
   * service's creation, before any step (and again in a sandbox that replaces a crashed one).
   * If it throws (or takes over 30 s), otai exits 2 with its message (secrets redacted) and no
   * step runs.
   */
  start?(ctx: LifecycleContext): void | Promise<void>;
  /**
   * Runs once at shutdown, after the runners stopped and the services were closed. It has 5 s;
   * an error or a timeout is logged as a warning and never keeps otai from exiting.
   */
  stop?(ctx: LifecycleContext): void | Promise<void>;
  /** How the plugin is doing (plain data), as `otai plugins list` shows it; it has 5 s. */
  health?(): HealthReport | Promise<HealthReport>;
  /**
   * Handlers of the events it subscribes to, by type: `{ "step.failed"(event, ctx) {…} }`.
   * Each event arrives as plain data in the plugin's sandbox; a slow or failing handler never
   * delays or fails a runner (see {@linkcode EventHandlers}).
   */
  events?: EventHandlers;
}

/** What a manifest's `start()` and `stop()` get. */
export interface LifecycleContext {
  /** Records to the host log under `otai.plugin.<prefix>`. */
  log: PluginLogger;
  /** Aborted when the hook runs out of time. */
  signal: AbortSignal;
}

/** What a manifest's `health()` returns. */
export interface HealthReport {
  /** Whether the plugin can do its work. */
  ok: boolean;
  /** One line on why, or what it is doing (at most 500 characters are shown). */
  detail?: string;
}

/** What an event handler gets besides the event. */
export interface EventContext {
  /** Records to the host log under `otai.plugin.<prefix>`. */
  log: PluginLogger;
  /** Aborted when the handler runs out of time (10 s). */
  signal: AbortSignal;
}

/**
 * A manifest's `events`: a handler per event type it subscribes to. Each runs in the plugin's
 * sandbox, one event at a time and in order; a subscriber's queue holds at most 1000 events,
 * and events that arrive while it is full are dropped and counted.
 */
export type EventHandlers = {
  [K in EventType]?: (event: EventMap[K], ctx: EventContext) => void | Promise<void>;
};

/** What a manifest's `setup()` gets. */
export interface SetupContext {
  /** Records to the host log under `otai.plugin.<prefix>`. */
  log: PluginLogger;
  /** Aborted when setup runs out of time. */
  signal: AbortSignal;
}
