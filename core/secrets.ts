/**
 * Secrets and what must never show them: values from `${VAR}` in the config and values of the
 * environment variables granted to plugins. Redaction works on values, before anything is
 * serialized or cut short, so a secret holding `"` or `\` is found as it is.
 *
 * @module
 */

/** Values shorter than this are not treated as secrets (redacting "1" everywhere helps nobody). */
export const MIN_SECRET_LENGTH = 4;

/** What a redacted secret is shown as. */
export const REDACTED = "***";

/**
 * Environment variables no plugin's secret hides in: what a shell and Deno set for every
 * process. Values of all others granted to a plugin (a name, a `PREFIX_*` pattern or
 * `env: true`) are secrets.
 */
const COMMON_VARIABLES = new Set([
  "HOME",
  "HOSTNAME",
  "LANG",
  "LANGUAGE",
  "LOGNAME",
  "OLDPWD",
  "PATH",
  "PWD",
  "SHELL",
  "SHLVL",
  "TERM",
  "TMPDIR",
  "TZ",
  "USER",
  "_",
]);

/**
 * A growing set of secrets, with redaction of text and of whole values.
 *
 * @example
 * ```ts
 * import { Secrets } from "@otai/cli";
 * import { deepStrictEqual, strictEqual } from "node:assert/strict";
 * const secrets = new Secrets(['pa"ss\\word']);
 * strictEqual(secrets.redactText('token pa"ss\\word'), "token ***");
 * deepStrictEqual(secrets.redactValue({ a: ['x pa"ss\\word'] }), { a: ["x ***"] });
 * ```
 */
export class Secrets implements Iterable<string> {
  #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Creates the set from values (too short ones are left out). */
  constructor(values: Iterable<string> = []) {
    for (const v of values) this.add(v);
  }

  /** Adds a secret (ignored when shorter than {@linkcode MIN_SECRET_LENGTH}). */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.#values.has(value)) return;
    this.#values.add(value);
    this.#pattern = undefined;
  }

  /** Adds every secret of another set. */
  addAll(values: Iterable<string>): void {
    for (const v of values) this.add(v);
  }

  /** How many secrets there are. */
  get size(): number {
    return this.#values.size;
  }

  /** Whether a value is a secret. */
  has(value: string): boolean {
    return this.#values.has(value);
  }

  /** The secrets. */
  [Symbol.iterator](): Iterator<string> {
    return this.#values[Symbol.iterator]();
  }

  /** The text with every secret replaced by `***` (longest first, so none shows in part). */
  redactText(text: string): string {
    if (!this.#values.size) return text;
    this.#pattern ??= new RegExp(
      [...this.#values].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"),
      "g",
    );
    return text.replace(this.#pattern, REDACTED);
  }

  /** A copy of plain data with every secret redacted in its strings (keys included). */
  redactValue<T>(value: T): T {
    return this.#values.size ? this.#walk(value, new Map()) as T : value;
  }

  #walk(value: unknown, seen: Map<object, unknown>): unknown {
    if (typeof value === "string") return this.redactText(value);
    if (value === null || typeof value !== "object") return value;
    if (seen.has(value)) return seen.get(value);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const v of value) out.push(this.#walk(v, seen));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, this.redactText(k), {
        value: this.#walk(v, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}

/**
 * The values of the environment variables a grant lets a plugin read: each name, each
 * `PREFIX_*` pattern's matches, or every variable for `true` (but the ones every process has,
 * like `PATH` and `HOME`).
 *
 * @param grant The plugin's effective `env` permission.
 * @param env The environment.
 * @returns The values, to be treated as secrets.
 */
export function grantedEnvValues(
  grant: boolean | readonly string[],
  env: Record<string, string>,
): string[] {
  return Object.keys(env)
    .filter((name) => envGranted(grant, name) && !(grant === true && COMMON_VARIABLES.has(name)))
    .map((n) => env[n]!);
}

/**
 * The variables of `env` an `env` grant lets a plugin read, with their values (see
 * {@linkcode envGranted}).
 *
 * @example
 * ```ts
 * import { grantedEnv } from "./secrets.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const env = { OTOBO_USER: "u", OTOBO_PASSWORD: "p", HOME: "/root" };
 * deepStrictEqual(grantedEnv(["OTOBO_*"], env), { OTOBO_USER: "u", OTOBO_PASSWORD: "p" });
 * ```
 */
export function grantedEnv(
  grant: boolean | readonly string[],
  env: Record<string, string> = Deno.env.toObject(),
): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => envGranted(grant, name)));
}

/**
 * Whether an `env` grant lets a plugin read a variable: `true`, its name, or a `PREFIX_*`
 * pattern it matches.
 *
 * @param grant The plugin's effective `env` permission.
 * @param name The variable's name.
 * @returns Whether the plugin may read it.
 */
export function envGranted(grant: boolean | readonly string[], name: string): boolean {
  if (typeof grant === "boolean") return grant;
  return grant.some((g) => (g.endsWith("*") ? name.startsWith(g.slice(0, -1)) : name === g));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
