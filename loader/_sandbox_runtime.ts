/// <reference lib="deno.worker" />
/**
 * The code that runs inside a plugin's sandbox (a Worker under the plugin's effective
 * permissions). It evaluates the plugin module, describes its manifest to the host and serves
 * the host's requests. It must not import anything that needs permissions.
 *
 * @module
 */
import type { HostMessage, ManifestDescription, SandboxMessage, WireError } from "./_protocol.ts";
import type { Injectable, PluginLogger, ServiceProxy, StandardSchema } from "../core/types.ts";

class SkipSignal {
  constructor(readonly reason: string) {}
}

const outbox: SandboxMessage[] = [];
const services = new Map<string, Record<string, unknown>>();
const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
const aborts = new Map<number, AbortController>();
const scopes = new Map<number, Record<string, unknown>>();
let nextCallId = 1;
let pipes = new Map<string, Injectable>();

let started = false;
// Errors nobody caught: while the module loads they fail the load; later they are reported to
// the host's log and the sandbox goes on (one bad callback must not end a plugin's services).
self.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  crash(e.reason);
});
self.addEventListener("error", (e) => {
  e.preventDefault();
  crash(e.error ?? e.message);
});

function crash(error: unknown): void {
  self.postMessage(
    [{ t: "crash", error: wire(error), fatal: !started }] satisfies SandboxMessage[],
  );
}

/** Starts serving the host for a plugin module's namespace. */
export function start(mod: Record<string, unknown>): void {
  started = true;
  const manifest = mod.default as Record<string, unknown> | undefined;
  const problems = describeProblems(manifest);
  if (problems.length) {
    const description = manifest && typeof manifest === "object" ? describe(manifest) : undefined;
    self.postMessage(
      [{ t: "invalid", problems, manifest: description }] satisfies SandboxMessage[],
    );
    return;
  }
  const injectables = manifest!.injectables as Injectable[];
  pipes = new Map(injectables.map((i) => [`${i.kind}:${i.name}`, i]));
  self.onmessage = (e: MessageEvent<HostMessage[]>) => {
    for (const msg of e.data) handle(msg);
  };
  self.postMessage([{ t: "ready", manifest: describe(manifest!) }] satisfies SandboxMessage[]);
}

function send(msg: SandboxMessage): void {
  if (outbox.push(msg) === 1) queueMicrotask(flush);
}

function flush(): void {
  const batch = outbox.splice(0);
  try {
    self.postMessage(batch);
  } catch {
    for (const msg of batch) {
      try {
        self.postMessage([msg]);
      } catch (e) {
        if (msg.t !== "done" && msg.t !== "call") continue;
        const error = wire(
          new TypeError(
            `returned a value that cannot be sent across the sandbox boundary ` +
              `(${(e as Error).message}); return plain data: objects, arrays, strings, numbers`,
          ),
        );
        self.postMessage([
          msg.t === "done" ? { t: "done", id: msg.id, status: "fail", error } : {
            ...msg,
            args: [],
          },
        ]);
      }
    }
  }
}

function handle(msg: HostMessage): void {
  switch (msg.t) {
    case "run":
      return void runPipe(msg);
    case "create":
      return void createService(msg);
    case "invoke":
      return void invoke(msg);
    case "validate":
      return void validate(msg);
    case "scope":
      scopes.set(msg.id, msg.steps);
      return;
    case "drop":
      scopes.delete(msg.id);
      return;
    case "abort":
      aborts.get(msg.id)?.abort(new DOMException("The step timed out", "TimeoutError"));
      return;
    case "result": {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) p?.resolve(msg.value);
      else p?.reject(unwire(msg.error!));
    }
  }
}

async function runPipe(msg: Extract<HostMessage, { t: "run" }>): Promise<void> {
  const controller = new AbortController();
  aborts.set(msg.id, controller);
  try {
    const pipe = pipes.get(`pipe:${msg.pipe}`);
    if (!pipe || pipe.kind !== "pipe") throw new TypeError(`no pipe named "${msg.pipe}"`);
    let steps = msg.steps;
    if (msg.scopes.length) {
      steps = {};
      for (const id of msg.scopes) Object.assign(steps, scopes.get(id));
      Object.assign(steps, msg.steps);
    }
    const params = pipe.params ? await parse(pipe.params, msg.params) : msg.params;
    const value = await pipe.run({
      params: params as Record<string, unknown>,
      services: proxies(msg.services, msg.id),
      steps: steps as never,
      step: msg.step,
      log: logger,
      signal: controller.signal,
      skip(reason = "skipped by the pipe") {
        throw new SkipSignal(reason);
      },
    });
    send({ t: "done", id: msg.id, status: "ok", value: value ?? {} });
  } catch (e) {
    if (e instanceof SkipSignal) send({ t: "done", id: msg.id, status: "skip", reason: e.reason });
    else send({ t: "done", id: msg.id, status: "fail", error: wire(e) });
  } finally {
    aborts.delete(msg.id);
  }
}

async function createService(msg: Extract<HostMessage, { t: "create" }>): Promise<void> {
  try {
    const def = pipes.get(`service:${msg.name}`);
    if (!def || def.kind !== "service") throw new TypeError(`no service named "${msg.name}"`);
    const params = def.params ? await parse(def.params, msg.params) : msg.params;
    const instance = await def.create(params as Record<string, unknown>, {
      id: msg.instance,
      services: proxies(msg.services, -msg.id),
      log: logger,
    });
    if (instance === null || typeof instance !== "object") {
      throw new TypeError(`create() returned ${typeof instance}; return an object of methods`);
    }
    services.set(msg.instance, instance as Record<string, unknown>);
    send({ t: "done", id: msg.id, status: "ok" });
  } catch (e) {
    send({ t: "done", id: msg.id, status: "fail", error: wire(e) });
  }
}

async function invoke(msg: Extract<HostMessage, { t: "invoke" }>): Promise<void> {
  try {
    const instance = services.get(msg.instance);
    const method = instance?.[msg.method];
    if (typeof method !== "function" || Object.hasOwn(Object.prototype, msg.method)) {
      throw new TypeError(`service "${msg.instance}" has no method "${msg.method}"`);
    }
    const value = await method.apply(instance, msg.args);
    send({ t: "done", id: msg.id, status: "ok", value });
  } catch (e) {
    send({ t: "done", id: msg.id, status: "fail", error: wire(e) });
  }
}

async function validate(msg: Extract<HostMessage, { t: "validate" }>): Promise<void> {
  const def = pipes.get(`${msg.kind}:${msg.name}`);
  let issues: { path: (string | number)[]; message: string }[] = [];
  if (def?.params) {
    const result = await def.params["~standard"].validate(msg.params);
    issues = (result.issues ?? []).map((i) => ({
      path: (i.path ?? []).map((p) => {
        const key = typeof p === "object" ? p.key : p;
        return typeof key === "number" ? key : String(key);
      }),
      message: i.message,
    }));
  }
  send({ t: "done", id: msg.id, status: "ok", value: issues });
}

async function parse(schema: StandardSchema, value: unknown): Promise<unknown> {
  const result = await schema["~standard"].validate(value);
  if (!result.issues) return result.value;
  const text = result.issues.map((i) => {
    const path = (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
    return path ? `${path}: ${i.message}` : i.message;
  });
  throw new TypeError(`invalid params: ${text.join("; ")}`);
}

function proxies(map: Record<string, string>, origin: number): Record<string, ServiceProxy> {
  const out: Record<string, ServiceProxy> = {};
  for (const [alias, instance] of Object.entries(map)) {
    out[alias] = new Proxy({}, {
      get(_, method) {
        if (typeof method !== "string" || method === "then") return undefined;
        return (...args: unknown[]) =>
          new Promise((resolve, reject) => {
            const id = nextCallId++;
            pending.set(id, { resolve, reject });
            send({ t: "call", id, origin, instance, method, args });
          });
      },
    }) as ServiceProxy;
  }
  return out;
}

function log(level: "debug" | "info" | "warning" | "error") {
  return (message: string, props?: Record<string, unknown>) =>
    send({ t: "log", level, message: String(message), ...(props ? { props } : {}) });
}

const logger: PluginLogger = {
  debug: log("debug"),
  info: log("info"),
  warn: log("warning"),
  error: log("error"),
};

function wire(e: unknown): WireError {
  if (e instanceof Error) {
    return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
  let text: string;
  try {
    text = typeof e === "string" ? e : JSON.stringify(e) ?? String(e);
  } catch {
    text = Object.prototype.toString.call(e);
  }
  return { name: "Error", message: `threw a non-Error value: ${text}` };
}

function unwire(e: WireError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

function describeProblems(m: Record<string, unknown> | undefined): string[] {
  if (m === null || typeof m !== "object") {
    return ["the module has no default export; export default a manifest from definePlugin()"];
  }
  if (!Array.isArray(m.injectables)) return ['"injectables" must be a list of pipes and services'];
  const problems: string[] = [];
  m.injectables.forEach((i: Record<string, unknown> | null, n: number) => {
    if (i === null || typeof i !== "object") problems.push(`injectables[${n}] is not an object`);
    else if (i.kind === "pipe" && typeof i.run !== "function") {
      problems.push(`injectables[${n}] ("${String(i.name)}") is a pipe without a run() function`);
    } else if (i.kind === "service" && typeof i.create !== "function") {
      problems.push(
        `injectables[${n}] ("${String(i.name)}") is a service without a create() function`,
      );
    } else if (
      i.params !== undefined && typeof (i.params as StandardSchema)?.["~standard"]
          ?.validate !== "function"
    ) {
      problems.push(`injectables[${n}].params is not a Standard Schema (e.g. a zod schema)`);
    }
  });
  return problems;
}

function describe(m: Record<string, unknown>): ManifestDescription {
  return {
    name: m.name,
    version: m.version,
    api: m.api,
    description: m.description,
    permissions: plain(m.permissions),
    injectables: (Array.isArray(m.injectables) ? m.injectables : []).map((i) => ({
      kind: i?.kind,
      name: i?.name,
      description: typeof i?.description === "string" ? i.description : undefined,
      hasParams: i?.params !== undefined,
    })),
  };
}

function plain(v: unknown): unknown {
  try {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  } catch {
    return "unreadable";
  }
}
