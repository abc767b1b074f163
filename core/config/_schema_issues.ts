import type { z } from "zod";
import type { Diagnostic } from "../errors.ts";
import { didYouMean } from "../_suggest.ts";
import type { ParsedYaml } from "./_yaml.ts";
import { type ConfigPath, formatPath } from "./config_path.ts";

/** Turns zod issues into diagnostics that point at the YAML and say what to write. */
export function issuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  yaml: ParsedYaml,
  schema: z.ZodType,
  base: ConfigPath = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const inner = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const path = [...base, ...inner];
    if (issue.code === "unrecognized_keys") {
      const allowed = keysAt(schema, inner);
      for (const key of issue.keys) {
        out.push({
          ...yaml.locateKey(path, key),
          path: formatPath(path),
          message: `unknown key "${key}"${didYouMean(key, allowed)}` +
            (allowed.length ? `; allowed keys: ${allowed.join(", ")}` : ""),
        });
      }
      continue;
    }
    const value = valueAt(yaml.data, path);
    let message = issue.message.replace(/^Invalid input: /, "");
    if (issue.code === "invalid_type" && value === undefined) {
      const key = path.at(-1);
      out.push({
        ...yaml.locate(path.slice(0, -1)),
        path: formatPath(path.slice(0, -1)),
        message: `missing required key "${String(key)}": ${message}`,
      });
      continue;
    }
    if (issue.code === "invalid_type" || issue.code === "invalid_union") {
      message = `${message.replace(/, received \w+$/, "")}, got ${describe(value)}`;
    }
    out.push({ ...yaml.locate(path), path: formatPath(path), message });
  }
  return out;
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (typeof p === "number" && !Array.isArray(v) && p === 0) continue;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  const text = JSON.stringify(v) ?? String(v);
  return `${typeof v} ${text.length > 40 ? text.slice(0, 37) + "..." : text}`;
}

type AnySchema = { def?: Record<string, unknown>; shape?: Record<string, unknown> };

/** The keys an object schema allows at a path, for "did you mean". */
function keysAt(schema: z.ZodType, path: ConfigPath): string[] {
  let s: AnySchema | undefined = schema as unknown as AnySchema;
  for (const seg of [...path, null]) {
    for (let i = 0; s && i < 8; i++) {
      const def = s.def as Record<string, unknown> | undefined;
      if (!def) break;
      if (def.type === "optional" || def.type === "default") s = def.innerType as AnySchema;
      else if (def.type === "lazy") s = (def.getter as () => AnySchema)();
      else if (def.type === "pipe") s = def.out as AnySchema;
      else break;
    }
    if (!s) return [];
    if (seg === null) return s.shape ? Object.keys(s.shape) : [];
    if (typeof seg === "number") {
      const def = s.def as Record<string, unknown>;
      if (def.type === "array") s = def.element as AnySchema;
    } else s = s.shape?.[seg] as AnySchema | undefined;
  }
  return [];
}
