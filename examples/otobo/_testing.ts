/**
 * Test helpers for the emulator: one raw HTTP call, and the error code of an answer.
 *
 * @module
 */
import type { OtoboEmulator } from "./emulator.ts";

/** The agent of the seed data. */
export const AUTH = { UserLogin: "otai", Password: "otai-demo" };

/** An answer: its status, content type and JSON body (or `{ text }`). */
export interface Answer {
  /** The HTTP status. */
  status: number;
  /** The Content-Type. */
  type: string;
  /** The JSON body, or `{ text }` when it is not JSON. */
  body: Record<string, unknown>;
}

/**
 * Calls the emulator: GET data as query parameters, other data as a JSON body.
 *
 * @param emu The emulator.
 * @param method The HTTP method.
 * @param route The route below the web service.
 * @param data The data: query parameters for GET, else the JSON body.
 * @param query Query parameters to add, whatever the method.
 * @returns The answer.
 */
export async function call(
  emu: OtoboEmulator,
  method: string,
  route: string,
  data: Record<string, unknown> = {},
  query: Record<string, unknown> = {},
): Promise<Answer> {
  const url = new URL(`${emu.baseUrl}${route}`);
  const params = method === "GET" ? { ...data, ...query } : query;
  for (const [k, v] of Object.entries(params)) {
    for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(x));
  }
  const res = await fetch(url, {
    method,
    ...(method === "GET" ? {} : { body: JSON.stringify(data) }),
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", body };
}

/**
 * The `Error.ErrorCode` of an answer.
 *
 * @param body The answer's body.
 * @returns The code, or undefined.
 */
export function errorCode(body: Record<string, unknown>): string | undefined {
  return (body.Error as { ErrorCode?: string } | undefined)?.ErrorCode;
}

/**
 * The `Error.ErrorMessage` of an answer, or a fault's faultstring.
 *
 * @param body The answer's body.
 * @returns The message, or undefined.
 */
export function errorMessage(body: Record<string, unknown>): string | undefined {
  return (body.Error as { ErrorMessage?: string } | undefined)?.ErrorMessage ??
    (body.faultstring as string | undefined);
}
