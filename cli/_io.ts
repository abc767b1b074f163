import { Secrets } from "../core/secrets.ts";
import { fetchCredentials, npmrcTexts } from "./_credentials.ts";

/** Values never to be shown: `${VAR}` values, granted environment variables, and credentials. */
export const secrets: Secrets = new Secrets();
{
  const env = Deno.env.toObject();
  const found = fetchCredentials(env, npmrcTexts(Deno.cwd(), env.HOME));
  secrets.addAll(found.filter((v) => v.length >= 4));
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
