/**
 * What a pipe or service sees of the services injected into it: one proxy per injected name,
 * whose every method call becomes a call message to the host (which checks the grant).
 *
 * @module
 */
import type { ServiceProxy } from "../../../core/types.ts";
import { checkPlainData } from "../_plain_data.ts";

/** How proxies send a call: the call, and how to settle its promise when the answer comes. */
export interface ProxyTransport {
  /** The largest arguments, in bytes. */
  maxBytes: number;
  /** Sends one call. */
  call(
    call: { instance: string; method: string; args: unknown[] },
    settle: { resolve(v: unknown): void; reject(e: unknown): void },
  ): void;
}

/** One proxy per injected name (alias to service instance id). */
export function serviceProxies(
  map: Record<string, string>,
  transport: ProxyTransport,
): Record<string, ServiceProxy> {
  const out: Record<string, ServiceProxy> = {};
  for (const [alias, instance] of Object.entries(map)) {
    out[alias] = new Proxy({}, {
      get: (_, method) => {
        if (typeof method !== "string" || method === "then") return undefined;
        return (...args: unknown[]) =>
          new Promise((resolve, reject) => {
            const problem = checkPlainData(args, transport.maxBytes, "args");
            if (problem) {
              const what = `${problem.path} ${problem.message}`;
              reject(new TypeError(`cannot call ${alias}.${method}(): ${what}`));
              return;
            }
            transport.call({ instance, method, args }, { resolve, reject });
          });
      },
    }) as ServiceProxy;
  }
  return out;
}
