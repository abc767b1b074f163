/**
 * `otai plugins search <words>`: JSR's package search, and for each latest version found, the
 * permissions its manifest requests (read in a sandbox granted nothing, as `plugins info` does).
 *
 * @module
 */
import { inspectPlugin } from "./inspect_plugin.ts";

/** One package found. */
export interface SearchHit {
  /** `@scope/name`. */
  name: string;
  /** Its latest version. */
  version: string;
  /** Its description on the registry. */
  description: string;
  /** What its manifest requests, when it is an otai plugin. */
  permissions?: Record<string, unknown>;
  /** Why its manifest could not be read (not an otai plugin, or it failed to load). */
  problem?: string;
}

/** Where JSR's API is: `OTAI_JSR_API`, else `https://api.jsr.io/`. */
export function jsrApiUrl(): string {
  return (Deno.env.get("OTAI_JSR_API") ?? "https://api.jsr.io/").replace(/\/?$/, "/");
}

/** At most this many packages are listed (and inspected). */
const LIMIT = 20;

/**
 * Searches the registry and reads each hit's manifest.
 *
 * @param words What to search for.
 * @param options `offline` reads manifests from the cache only; `api` overrides the API URL.
 * @returns The packages found, in the registry's order.
 * @throws {Error} When the registry cannot be reached or answers with an error.
 */
export async function searchPlugins(
  words: string,
  options: { offline?: boolean; api?: string; timeoutMs?: number } = {},
): Promise<SearchHit[]> {
  const api = options.api ?? jsrApiUrl();
  const url = `${api}packages?query=${encodeURIComponent(words)}&limit=${LIMIT}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (e) {
    throw new Error(
      `cannot search ${api}: ${(e as Error).message}; check the network, or set OTAI_JSR_API`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`cannot search ${api}: it answered ${res.status} ${res.statusText}`);
  }
  const body = await res.json() as { items?: unknown };
  const items = Array.isArray(body.items) ? body.items.slice(0, LIMIT) : [];
  const hits = items.flatMap((raw): SearchHit[] => {
    const i = raw as Record<string, unknown>;
    if (typeof i.scope !== "string" || typeof i.name !== "string") return [];
    const version = typeof i.latestVersion === "string" ? i.latestVersion : "";
    const description = typeof i.description === "string" ? i.description : "";
    return [{ name: `@${i.scope}/${i.name}`, version, description }];
  });
  await Promise.all(hits.map(async (hit) => {
    if (!hit.version) return void (hit.problem = "no published version");
    try {
      const info = await inspectPlugin(`jsr:${hit.name}@${hit.version}`, {
        offline: options.offline === true,
      });
      if (info.problems.length) hit.problem = `not an otai plugin: ${info.problems[0]}`;
      else hit.permissions = (info.manifest.permissions ?? {}) as Record<string, unknown>;
    } catch (e) {
      hit.problem = (e as Error).message.split("\n")[0]!;
    }
  }));
  return hits;
}
