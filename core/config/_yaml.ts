import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { Document, Node, Scalar } from "yaml";
import type { Diagnostic, SourceLocation } from "../errors.ts";
import type { ConfigPath } from "./config_path.ts";
import { MAX_DEPTH, shapeProblems, tooDeepAt, tooDeepMessage } from "./_yaml_shape.ts";
export type { ConfigPath };

/** A parsed YAML file with positions. */
export interface ParsedYaml {
  /** Plain data after env substitution; undefined when the YAML could not be read. */
  data: unknown;
  /** Values that came from environment variables (redacted wherever they would be shown). */
  secrets: Set<string>;
  /** Problems found while reading. */
  diagnostics: Diagnostic[];
  /** The location of a path, or of its nearest existing ancestor. */
  locate(path: ConfigPath): SourceLocation;
  /** The location of a mapping key itself. */
  locateKey(path: ConfigPath, key: string): SourceLocation;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const MAX_ALIASES = 100;
/** The largest config text read, in bytes (UTF-16 code units, as a bound on its size). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Values shorter than this are not treated as secrets (redacting "1" everywhere helps nobody). */
const MIN_SECRET_LENGTH = 4;

/**
 * Parses config text, substitutes `${NAME}` and `${NAME:-default}` from the environment and
 * records where every node sits.
 */
export function parseConfigYaml(
  text: string,
  file: string,
  env: (name: string) => string | undefined,
): ParsedYaml {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const secrets = new Set<string>();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const problem = (offset: number, message: string) =>
    diagnostics.push({ ...at(offset), path: "", message });
  if (text.length > MAX_CONFIG_BYTES) {
    const start = { file, line: 1, column: 1 };
    diagnostics.push({
      ...start,
      path: "",
      message: `the config is ${(text.length / 1024 / 1024).toFixed(1)} MB, over the limit of ` +
        `${MAX_CONFIG_BYTES / 1024 / 1024} MB; keep large data in files that a step reads`,
    });
    return { data: undefined, secrets, diagnostics, locate: () => start, locateKey: () => start };
  }
  // Keys are checked for duplicates below, in linear time (yaml's own check is quadratic).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const said = new Set<string>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.name !== "YAMLParseError") continue;
    const message = parseErrorMessage(e.message, at(e.pos[0]).line);
    if (!said.has(message)) problem(e.pos[0], message);
    said.add(message);
  }
  if (doc.errors.length === 0) {
    for (const p of shapeProblems(doc)) problem(p.offset, p.message);
  }
  const readable = diagnostics.length === 0;
  if (readable) substituteEnv(doc, env, secrets, diagnostics, at);
  const locate = (path: ConfigPath): SourceLocation => at(nodeAt(doc, path)?.range?.[0] ?? 0);
  const locateKey = (path: ConfigPath, key: string): SourceLocation => {
    const parent = nodeAt(doc, path);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      const range = (pair?.key as Node | undefined)?.range;
      if (range) return at(range[0]);
    }
    return locate(path);
  };
  const data = readable ? toData(doc, locate, problem, diagnostics) : undefined;
  return { data, secrets, diagnostics, locate, locateKey };
}

function substituteEnv(
  doc: Document,
  env: (name: string) => string | undefined,
  secrets: Set<string>,
  diagnostics: Diagnostic[],
  at: (offset: number) => SourceLocation,
): void {
  visit(doc, {
    Scalar(key, node: Scalar, ancestors) {
      if (key === "key" || typeof node.value !== "string" || !node.value.includes("${")) return;
      const original = node.value;
      let whole = false;
      const replaced = original.replace(ENV_REF, (match, name: string, fallback?: string) => {
        whole = match === original;
        const value = env(name);
        if (value !== undefined && value !== "") {
          if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
          return value;
        }
        if (fallback !== undefined) return fallback;
        diagnostics.push({
          ...at(node.range?.[0] ?? 0),
          path: pathOf(ancestors, node),
          message: `environment variable "${name}" is not set; set it, or write ` +
            `"\${${name}:-default}" to give a default`,
        });
        return match;
      });
      if (replaced === original) return;
      node.value = whole && node.type === "PLAIN" ? plainScalar(replaced) : replaced;
    },
  });
}

/**
 * The document as plain data, within the alias count and the nesting limit (aliases can nest
 * what each place alone does not); undefined, with a diagnostic, when it is not.
 */
function toData(
  doc: Document,
  locate: (path: ConfigPath) => SourceLocation,
  problem: (offset: number, message: string) => void,
  diagnostics: Diagnostic[],
): unknown {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    problem(
      0,
      `cannot read the config: ${(e as Error).message}; ` +
        "use fewer YAML aliases (*name) or write the values out",
    );
    return undefined;
  }
  const deep = tooDeepAt(data, MAX_DEPTH);
  if (!deep) return data;
  diagnostics.push({ ...locate(deep), path: deep.join("."), message: tooDeepMessage() });
  return undefined;
}

/** yaml's words for a parse error, in a config's terms. */
function parseErrorMessage(message: string, line: number): string {
  const first = message.split("\n")[0]!;
  if (/multiple documents/.test(first)) {
    return `a config is one YAML document; found a second at line ${line}; remove it ` +
      "(and the --- before it), or move it into a file of its own";
  }
  if (/call stack/i.test(first)) return tooDeepMessage();
  return `invalid YAML: ${first}; fix the syntax at this place`;
}

/** The dotted path of a node from the ancestors `visit` hands over. */
function pathOf(ancestors: readonly unknown[], node: unknown): string {
  let out = "";
  const chain = [...ancestors, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) out += `[${parent.items.indexOf(child as Node)}]`;
    else if (isPair(child) && isScalar(child.key)) {
      out += (out ? "." : "") + String(child.key.value);
    }
  }
  return out;
}

/** Reads a substituted plain scalar as YAML would: numbers and booleans keep their type. */
function plainScalar(text: string): unknown {
  if (/^(true|false)$/.test(text)) return text === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function nodeAt(doc: Document, path: ConfigPath): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (const seg of path) {
    if (isPair(node)) node = node.value;
    if (isSeq(node) && typeof seg === "number") node = node.items[seg];
    else if (isMap(node) && typeof seg === "number" && seg === 0) continue; // a single step
    else if (isMap(node)) {
      node = node.items.find((p) => isScalar(p.key) && p.key.value === seg)?.value;
    } else node = undefined;
    if (node === undefined || node === null) break;
    found = node as Node;
  }
  return found;
}
