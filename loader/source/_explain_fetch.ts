import { stripAnsi } from "../deno_stderr.ts";
import { jsrName } from "./jsr.ts";

export function wrongType(specifier: string, module: string, type: string): string {
  return `Cannot fetch plugin "${specifier}": ${module} was served as "${type}", which is not ` +
    "JavaScript or TypeScript; check that the URL points at a module";
}

/** The content type a module URL is served with, asked only after Deno failed on it. */
export async function servedType(url: string): Promise<string | undefined> {
  if (!/^https?:/.test(url)) return undefined;
  try {
    const res = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    return res.ok ? res.headers.get("content-type") ?? undefined : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why an npm package of a plugin could not be fetched, when its registry refuses access: Deno
 * reports only "Failed loading <url> for package", so the registry is asked again (without
 * credentials) for its status.
 */
export async function npmRefusal(specifier: string, error: string): Promise<string | undefined> {
  const failed = /Failed loading (https?:\/\/\S+) for package "([^"]+)"/.exec(error);
  if (!failed) return undefined;
  let status: number;
  try {
    const res = await fetch(failed[1]!, { signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    status = res.status;
  } catch {
    return undefined;
  }
  if (status !== 401 && status !== 403) return undefined;
  const host = new URL(failed[1]!).host;
  return `Cannot fetch plugin "${specifier}": the npm registry ${host} refused access to the ` +
    `package "${failed[2]}" it imports (${status}); a private npm registry needs a token in an ` +
    `.npmrc: "//${host}/:_authToken=\${NPM_TOKEN}" in ~/.npmrc of the user running otai (or ` +
    "beside a deno.json of the project), with NPM_TOKEN set in otai's environment, never in " +
    "the config";
}

export function reloadTarget(specifier: string): string {
  if (specifier.startsWith("jsr:")) return `jsr:${jsrName(specifier)}`;
  return specifier;
}

export function explain(specifier: string, error: string, offline: boolean): string {
  const what = `Cannot fetch plugin "${specifier}"`;
  const imported = /Requires import access to "([^"]+)"/.exec(error);
  if (imported) {
    return `Cannot load plugin "${specifier}": it imports code from "${
      imported[1]
    }" (directly or ` +
      `by a redirect), which the config does not grant; if you trust it, add "${imported[1]}" ` +
      "under permissions.import";
  }
  if (
    offline && /127\.0\.0\.1:9|proxy|connect|refused|failed|not found|sending/i.test(error)
  ) {
    return `${what}: it is not in the local cache and --offline forbids the network; ` +
      'run "otai fetch <config>" on a machine that is online and copy the cache (DENO_DIR)';
  }
  if (/integrity|checksum/i.test(error)) {
    return `${what}: its content does not match the checksum its registry published (${
      oneLine(error)
    }); the package may have been tampered with; do not use it until its publisher ` +
      "explains the change";
  }
  if (/\b(401|403)\b|Unauthorized|Forbidden/i.test(error)) {
    const host = /^https?:/.test(specifier) ? new URL(specifier).host : "<registry host>";
    return `${what}: its server refused access (${oneLine(error)}); a private plugin server ` +
      `needs a token: set DENO_AUTH_TOKENS=<token>@${host} in otai's environment (never in ` +
      "the config; a private npm registry reads its token from .npmrc)";
  }
  if (/Module not found|404|not found/i.test(error)) {
    return `${what}: ${oneLine(error)}; check the URL, package name and version`;
  }
  if (/media type|Unknown module|content-type/i.test(error)) {
    return `${what}: the server did not send JavaScript or TypeScript (${oneLine(error)}); ` +
      "check that the URL points at a module";
  }
  if (/error sending request|connect|dns|refused|unreachable/i.test(error)) {
    return `${what}: its host could not be reached (${oneLine(error)}); check the network, ` +
      'or run with --offline after "otai fetch"';
  }
  return `${what}: ${oneLine(error)}`;
}

function oneLine(text: string): string {
  return stripAnsi(text).split("\n").map((l) => l.trim()).filter(Boolean)
    .join(" ").slice(0, 300);
}
