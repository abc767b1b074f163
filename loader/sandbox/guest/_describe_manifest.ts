import type { ManifestDescription } from "../protocol.ts";
import type { StandardSchema } from "../../../core/types.ts";

/** What keeps a module's default export from being a manifest (code the host cannot see). */
export function describeProblems(m: Record<string, unknown> | undefined): string[] {
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
      i.params !== undefined &&
      typeof (i.params as StandardSchema)?.["~standard"]?.validate !== "function"
    ) {
      problems.push(`injectables[${n}].params is not a Standard Schema (e.g. a zod schema)`);
    }
  });
  return problems;
}

/** A manifest's data, without code, as the host checks it. */
export function describe(m: Record<string, unknown>): ManifestDescription {
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
