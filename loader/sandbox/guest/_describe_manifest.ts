import type { ManifestDescription } from "../protocol.ts";
import type { StandardSchema } from "../../../core/types.ts";

/** What keeps a module's default export from being a manifest (code the host cannot see). */
export function describeProblems(m: Record<string, unknown> | undefined): string[] {
  if (m === null || typeof m !== "object") {
    return ["the module has no default export; export default a manifest from definePlugin()"];
  }
  if (!Array.isArray(m.injectables)) return ['"injectables" must be a list of pipes and services'];
  const problems: string[] = hookProblems(m);
  m.injectables.forEach((i: Record<string, unknown> | null, n: number) => {
    if (i === null || typeof i !== "object") problems.push(`injectables[${n}] is not an object`);
    else if (i.kind === "pipe" && typeof i.run !== "function") {
      problems.push(`injectables[${n}] ("${String(i.name)}") is a pipe without a run() function`);
    } else if (i.kind === "service" && typeof i.create !== "function") {
      problems.push(
        `injectables[${n}] ("${String(i.name)}") is a service without a create() function`,
      );
    } else if (
      i.params !== undefined &&
      typeof (i.params as StandardSchema)?.["~standard"]?.validate !== "function"
    ) {
      problems.push(
        `injectables[${n}] ("${
          String(i.name)
        }").params is not a Standard Schema (e.g. a zod schema)`,
      );
    }
  });
  return problems;
}

/** The lifecycle hooks and event handlers that are there but are not functions. */
function hookProblems(m: Record<string, unknown>): string[] {
  const problems = ["setup", "start", "stop", "health"].flatMap((hook) =>
    m[hook] === undefined || typeof m[hook] === "function"
      ? []
      : [`"${hook}" must be a function, got ${typeof m[hook]}`]
  );
  if (m.events === undefined) return problems;
  if (!isRecord(m.events)) {
    return [...problems, '"events" must map event types to handlers: { "step.failed"(event) {} }'];
  }
  for (const [type, handler] of Object.entries(m.events)) {
    if (typeof handler !== "function") {
      problems.push(`events["${type.slice(0, 60)}"] must be a function, got ${typeof handler}`);
    }
  }
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A manifest's data, without code, as the host checks it. */
export function describe(m: Record<string, unknown>): ManifestDescription {
  return {
    name: m.name,
    version: m.version,
    api: m.api,
    description: m.description,
    permissions: plain(m.permissions),
    ...(isRecord(m.events) ? { events: Object.keys(m.events) } : {}),
    injectables: (Array.isArray(m.injectables) ? m.injectables : []).map((i) => ({
      kind: i?.kind,
      name: i?.name,
      description: typeof i?.description === "string" ? i.description : undefined,
      hasParams: i?.params !== undefined,
      ...paramsSchemaOf(i?.params),
      ...(i?.services === undefined ? {} : { services: plain(i.services) }),
    })),
  };
}

/** The largest params JSON Schema a description carries; a larger one is left out. */
const MAX_PARAMS_SCHEMA_CHARS = 64 * 1024;

/**
 * The JSON Schema of a params schema's input, as plain data, when the schema can give one: a
 * Standard JSON Schema (`~standard.jsonSchema`, zod v4 and others) or a `toJSONSchema()` method.
 * What cannot be expressed becomes "anything", so the JSON Schema is never stricter.
 */
function paramsSchemaOf(params: unknown): { paramsSchema?: Record<string, unknown> } {
  if (params === null || (typeof params !== "object" && typeof params !== "function")) return {};
  const p = params as {
    "~standard"?: { jsonSchema?: { input?: (o: Record<string, unknown>) => unknown } };
    toJSONSchema?: (o: Record<string, unknown>) => unknown;
  };
  const target = "draft-2020-12";
  try {
    const input = p["~standard"]?.jsonSchema?.input;
    const schema = typeof input === "function"
      ? input({ target, libraryOptions: { unrepresentable: "any" } })
      : typeof p.toJSONSchema === "function"
      ? p.toJSONSchema({ target, io: "input", unrepresentable: "any" })
      : undefined;
    const text = schema === undefined ? undefined : JSON.stringify(schema);
    if (text === undefined || text.length > MAX_PARAMS_SCHEMA_CHARS) return {};
    const data = JSON.parse(text);
    return data !== null && typeof data === "object" && !Array.isArray(data)
      ? { paramsSchema: data }
      : {};
  } catch {
    return {}; // a schema that cannot describe itself: its params go unchecked by editors
  }
}

function plain(v: unknown): unknown {
  try {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  } catch {
    return "unreadable";
  }
}
