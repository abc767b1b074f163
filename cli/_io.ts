import { Secrets } from "../core/secrets.ts";

/**
 * Values never to be shown: `${VAR}` values, granted environment variables, and the tokens of
 * private plugin servers (`DENO_AUTH_TOKENS`, `token@host;user:password@host`).
 */
export const secrets: Secrets = new Secrets();
for (const entry of (Deno.env.get("DENO_AUTH_TOKENS") ?? "").split(";")) {
  const at = entry.lastIndexOf("@");
  if (at > 0) {
    const credentials = entry.slice(0, at);
    secrets.addAll([credentials, ...credentials.split(":")].filter((v) => v.length >= 4));
  }
}
/** Writes text to stdout in full and returns `code`, for `return print(text, 0)`. */
export function print(text: string, code: number): number {
  const bytes = new TextEncoder().encode(text);
  for (let n = 0; n < bytes.length;) n += Deno.stdout.writeSync(bytes.subarray(n));
  return code;
}

export function usage(message: string): number {
  console.error(`otai: ${message}\nRun "otai --help" for usage.`);
  return 2;
}
