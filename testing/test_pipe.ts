import type { PipeOutcome } from "../core/registry.ts";
import type {
  PluginLogger,
  PluginManifest,
  ServiceProxy,
  StandardSchema,
  StepState,
} from "../core/types.ts";

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
 * Runs one pipe of a plugin in-process, validating params against its schema like the host
 * does. Results are passed through `structuredClone`, so a value that could not cross a
 * sandbox boundary fails here too.
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
  if (!pipe || pipe.kind !== "pipe") {
    throw new TypeError(`Cannot test pipe "${name}": plugin "${plugin.name}" has no such pipe`);
  }
  const skipped = Symbol("skip");
  let reason = "";
  try {
    const params = await validate(pipe.params, options.params ?? {});
    const data = await pipe.run({
      params,
      services: fakeServices(options.services ?? {}),
      steps: options.steps ?? {},
      step: { id: "test", runner: "test" },
      log: logger(options.log),
      signal: options.signal ?? new AbortController().signal,
      skip(r = "skipped by the pipe") {
        reason = r;
        throw skipped;
      },
    });
    return { status: "succeeded", data: structuredClone(data ?? {}) };
  } catch (e) {
    if (e === skipped) return { status: "skipped", reason };
    const error = e instanceof Error ? e : new Error(String(e));
    return { status: "failed", error: { name: error.name, message: error.message } };
  }
}

/**
 * Creates one service of a plugin in-process and returns it as other plugins see it (every
 * method async).
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
  if (!def || def.kind !== "service") {
    throw new TypeError(
      `Cannot test service "${name}": plugin "${plugin.name}" has no such service`,
    );
  }
  const instance = await def.create(await validate(def.params, params), {
    id: name,
    services: {},
    log: logger(),
  });
  return fakeServices({ s: instance as object }).s!;
}

async function validate(schema: StandardSchema | undefined, value: unknown) {
  if (!schema) return value as Record<string, unknown>;
  const r = await schema["~standard"].validate(value);
  if (r.issues) throw new TypeError(`invalid params: ${r.issues.map((i) => i.message).join("; ")}`);
  return r.value as Record<string, unknown>;
}

function fakeServices(services: Record<string, object>): Record<string, ServiceProxy> {
  const out: Record<string, ServiceProxy> = {};
  for (const [alias, obj] of Object.entries(services)) {
    out[alias] = new Proxy({}, {
      get(_, method) {
        if (typeof method !== "string" || method === "then") return undefined;
        return async (...args: unknown[]) => {
          const fn = (obj as Record<string, unknown>)[method];
          if (typeof fn !== "function") throw new TypeError(`service has no method "${method}"`);
          return structuredClone(await fn.apply(obj, structuredClone(args)));
        };
      },
    }) as ServiceProxy;
  }
  return out;
}

function logger(sink?: TestPipeOptions["log"]): PluginLogger {
  const at = (level: string) => (message: string, props?: Record<string, unknown>) =>
    sink?.(level, message, props);
  return { debug: at("debug"), info: at("info"), warn: at("warning"), error: at("error") };
}
