import { ENV_STRING } from "../core/config/json_schema.ts";

type Node = Record<string, unknown>;

/** The markers in README.md between which the generated reference stands. */
export const REFERENCE_MARKERS = {
  start: "<!-- config-reference:start -->",
  end: "<!-- config-reference:end -->",
} as const;

/**
 * A Markdown table of every key of a config, from its JSON Schema: the key's path, its type
 * (and whether it is required), its default and its description.
 *
 * @param schema The config's JSON Schema, as `configJsonSchema()` gives it.
 * @returns The table, one row per key, with a final newline.
 */
export function configReference(schema: Node): string {
  const defs = (schema.$defs ?? {}) as Record<string, Node>;
  const rows: string[] = [];
  visit(schema, "", { defs, rows, seen: new Set() });
  return [
    "| key | type | default | description |",
    "| --- | ---- | ------- | ----------- |",
    ...rows,
  ].join("\n") + "\n";
}

/**
 * A README with the reference between its markers replaced.
 *
 * @param readme The README's text.
 * @param reference The table, as {@linkcode configReference} gives it.
 * @returns The README's text with the new table.
 * @throws {SyntaxError} When the README lacks the markers.
 */
export function withConfigReference(readme: string, reference: string): string {
  const start = readme.indexOf(REFERENCE_MARKERS.start);
  const end = readme.indexOf(REFERENCE_MARKERS.end);
  if (start < 0 || end < start) {
    throw new SyntaxError(
      `Cannot write the config reference: README.md lacks "${REFERENCE_MARKERS.start}" and ` +
        `"${REFERENCE_MARKERS.end}"; add both where the table goes`,
    );
  }
  const head = readme.slice(0, start + REFERENCE_MARKERS.start.length);
  return `${head}\n\n${reference}\n${readme.slice(end)}`;
}

interface Walk {
  defs: Record<string, Node>;
  rows: string[];
  seen: Set<string>;
}

/** Adds a row for each property of `node` (an object, a list of them, or a `$ref` to one). */
function visit(node: Node, path: string, walk: Walk): void {
  const n = unwrap(node);
  const ref = refName(n);
  if (ref !== undefined) {
    if (walk.seen.has(ref)) return; // a recursive schema (sub-steps) is listed once
    walk.seen.add(ref);
    return visit(walk.defs[ref] ?? {}, path, walk);
  }
  if (n.type === "array" && n.items) return visit(n.items as Node, `${path}[]`, walk);
  // A list before a single value (`run: [step]` or `run: step`), so the path reads `run[].id`.
  const branches = [...(n.anyOf ?? []) as Node[]].sort((a, b) =>
    Number(b.type === "array") - Number(a.type === "array")
  );
  for (const branch of branches) visit(branch, path, walk);
  const properties = (n.properties ?? {}) as Record<string, Node>;
  const required = new Set((n.required ?? []) as string[]);
  for (const [key, child] of Object.entries(properties)) {
    const full = path ? `${path}.${key}` : key;
    const c = unwrap(child);
    const type = typeOf(c) + (required.has(key) ? ", required" : "");
    const fallback = c.default === undefined ? "" : `\`${JSON.stringify(c.default)}\``;
    walk.rows.push(
      `| \`${full}\` | ${cell(type)} | ${fallback} | ${cell(String(c.description ?? ""))} |`,
    );
    visit(child, full, walk);
  }
}

/** The schema inside a `${NAME}` wrapper, with the wrapper's annotations. */
function unwrap(node: Node): Node {
  const branches = node.anyOf as Node[] | undefined;
  if (branches?.length !== 2 || branches[1]?.pattern !== ENV_STRING.pattern) return node;
  const { anyOf: _, ...annotations } = node;
  return { ...branches[0], ...annotations };
}

function refName(node: Node): string | undefined {
  return typeof node.$ref === "string" ? node.$ref.replace("#/$defs/", "") : undefined;
}

/** A short type: `string`, `"a" \| "b"`, `list of string`, `mapping of string`. */
function typeOf(node: Node): string {
  const n = unwrap(node);
  const ref = refName(n);
  if (ref !== undefined) return ref;
  if (Array.isArray(n.enum)) return n.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (isDuration(n)) return "duration";
  if (Array.isArray(n.anyOf)) return [...new Set((n.anyOf as Node[]).map(typeOf))].join(" or ");
  if (n.type === "array") return `list of ${n.items ? typeOf(n.items as Node) : "any"}`;
  if (n.type === "object") {
    const values = n.additionalProperties;
    return values && typeof values === "object" && Object.keys(values).length
      ? `mapping of ${typeOf(values as Node)}`
      : "mapping";
  }
  return typeof n.type === "string" ? n.type : "any";
}

/** Whether a node is the config's duration: seconds, or a number with a unit. */
function isDuration(n: Node): boolean {
  const [seconds, text] = (n.anyOf ?? []) as Node[];
  return seconds?.type === "number" && String(text?.pattern ?? "").includes("(ms|s|m|h|d)");
}

/** Text safe in a Markdown table cell (no line breaks, `|` escaped, no HTML tags). */
function cell(text: string): string {
  return text.replaceAll("\n", " ").replace(/(?<!\\)\|/g, "\\|").replaceAll("<", "&lt;");
}

/**
 * Rows of a Markdown table with their padding removed, to compare a table with one that
 * `deno fmt` aligned.
 */
export function tableRows(text: string): string[] {
  return text.split("\n").filter((l) => l.trim().startsWith("|")).map((l) =>
    l.trim().split(/(?<!\\)\|/).map((c) => c.trim().replace(/^-+$/, "-")).join("|")
  );
}
