import semver from "semver";
import { FetchError } from "./fetch_error.ts";

/**
 * Resolves a `jsr:` range to the newest published version that satisfies it, from the
 * registry's own `meta.json` (Deno keeps using a cached one, which would hide new versions).
 *
 * @returns The specifier with the exact version.
 * @throws {FetchError} When the registry cannot be reached or has no matching version.
 */
export async function resolveJsrRange(specifier: string, timeoutMs = 30_000): Promise<string> {
  const name = jsrName(specifier);
  const range = /^jsr:\/?@[^/]+\/[^@/]+@([^/]+)/.exec(specifier)?.[1] ?? "*";
  const registry = Deno.env.get("JSR_URL") ?? "https://jsr.io/";
  const url = new URL(`${name}/meta.json`, registry.endsWith("/") ? registry : registry + "/");
  let meta: { versions?: Record<string, { yanked?: boolean }> };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new FetchError(`Cannot fetch plugin "${specifier}": JSR package not found: ${name}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FetchError(
        `Cannot fetch plugin "${specifier}": the registry answered ${res.status}`,
      );
    }
    meta = await res.json();
  } catch (e) {
    if (e instanceof FetchError) throw e;
    const timedOut = (e as Error).name === "TimeoutError";
    throw new FetchError(
      `Cannot fetch plugin "${specifier}": ${
        timedOut ? `the registry did not answer in ${timeoutMs / 1000}s` : (e as Error).message
      }; check the network, or run with --offline after "otai fetch"`,
    );
  }
  const versions = Object.entries(meta.versions ?? {}).filter(([, v]) => !v?.yanked).map(([v]) =>
    v
  );
  const best = semver.maxSatisfying(versions, range);
  if (!best) {
    throw new FetchError(
      `Cannot fetch plugin "${specifier}": no version of ${name} satisfies "${range}" ` +
        `(published: ${versions.join(", ") || "none"})`,
    );
  }
  return exactJsrSpecifier(specifier, best);
}

/** `jsr:@scope/name@1.2.3/sub` for `jsr:@scope/name@^1/sub` and a version. */
export function exactJsrSpecifier(specifier: string, version: string): string {
  const name = jsrName(specifier);
  const rest = specifier.slice(`jsr:${name}`.length).replace(/^@[^/]*/, "");
  return `jsr:${name}@${version}${rest}`;
}

/** `@scope/name` of a `jsr:@scope/name@range/path` specifier. */
export function jsrName(specifier: string): string {
  const m = /^jsr:\/?(@[^/]+\/[^@/]+)/.exec(specifier);
  return m ? m[1]! : specifier;
}
