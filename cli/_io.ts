import { Secrets } from "../core/secrets.ts";

/** Values never to be shown: `${VAR}` values and granted environment variables. */
export const secrets: Secrets = new Secrets();
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
