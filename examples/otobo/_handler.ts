/**
 * The emulator's HTTP handler: it reads a request the way OTOBO's
 * `Kernel::GenericInterface::Transport::HTTP::REST` does, hands it to an operation and answers
 * like OTOBO, recording each request.
 *
 * @module
 */
import type { Data, OperationResult } from "./_data.ts";
import { matchRoute, PREFIX, queryParams } from "./_http.ts";

/** One request the emulator answered. Never holds credentials. */
export interface RequestRecord {
  /** The HTTP method. */
  method: string;
  /** The path below the web service, without the query string. */
  route: string;
  /** The operation it reached, if any. */
  operation?: string;
  /** The HTTP status. */
  status: number;
  /** The `Error.ErrorCode` of the answer, if any. */
  errorCode?: string;
}

/** Runs one operation on the request data. */
export type Operate = (operation: string, data: Data) => OperationResult;

/** Options for {@linkcode createHandler}. */
export interface HandlerOptions {
  /** The web service name in the URL. */
  webservice: string;
  /** Answer every Nth request with HTTP 500 and a fault, when it reaches an operation. */
  failEveryNth?: number | undefined;
  /** Called after each request. */
  onRequest?: ((record: RequestRecord) => void) | undefined;
}

/** An answer before it becomes a Response. */
interface Answer {
  status: number;
  body: string;
  json?: boolean;
}

/**
 * Creates the handler of a web service.
 *
 * @param operate Runs the operation a request reaches.
 * @param options The web service name, failure injection, a callback per request.
 * @returns The handler for `Deno.serve`, and the record of what it answered.
 *
 * @example
 * ```ts
 * import { createHandler } from "./_handler.ts";
 * import { strictEqual } from "node:assert/strict";
 * const { handle, log } = createHandler(() => ({ status: 200, body: {} }), { webservice: "WS" });
 * const res = await handle(new Request("http://x/otobo/nph-genericinterface.pl/Webservice/WS/Session", {
 *   method: "POST",
 * }));
 * strictEqual(await res.text(), "{}");
 * strictEqual(log[0]?.operation, "SessionCreate");
 * ```
 */
export function createHandler(
  operate: Operate,
  options: HandlerOptions,
): { handle: (req: Request) => Promise<Response>; log: RequestRecord[] } {
  const log: RequestRecord[] = [];
  let received = 0;
  async function handle(req: Request): Promise<Response> {
    const n = ++received;
    const url = new URL(req.url);
    const record: RequestRecord = { method: req.method, route: url.pathname, status: 500 };
    const { status, body, json = false } = await respond(req, { url, record, n, operate, options });
    record.status = status;
    log.push(record);
    options.onRequest?.(record);
    return new Response(body, {
      status,
      headers: {
        // Transport::HTTP::REST: JSON only with 200, every other answer is text/plain.
        "Content-Type": `${json ? "application/json" : "text/plain"}; charset=UTF-8`,
        "Connection": "close",
      },
    });
  }
  return { handle, log };
}

/** The request's URL, record and number, and the service that answers it. */
interface Exchange {
  url: URL;
  record: RequestRecord;
  n: number;
  operate: Operate;
  options: HandlerOptions;
}

/** Routes the request, runs its operation and notes the route and operation in `record`. */
async function respond(req: Request, exchange: Exchange): Promise<Answer> {
  const { url, record, n, operate, options } = exchange;
  if (!url.pathname.startsWith(PREFIX)) return { status: 404, body: "Not Found" };
  const rest = url.pathname.slice(PREFIX.length);
  const name = decodeURIComponent(rest.split("/")[0] ?? "");
  record.route = rest.slice(rest.indexOf("/") === -1 ? rest.length : rest.indexOf("/")) || "/";
  // An unknown web service: OTOBO bails out and the server answers an empty 500.
  if (name !== options.webservice) return { status: 500, body: "" };
  const route = matchRoute(req.method, record.route);
  if (!route) {
    return {
      status: 500,
      body: `HTTP::REST Error while determine Operation for request URI '${record.route}'.`,
    };
  }
  record.operation = route.operation;
  const body = await readBody(req);
  if (typeof body === "string") return { status: 500, body };
  const data: Data = { ...queryParams(url.search) };
  Object.assign(data, body);
  for (const [key, value] of Object.entries(route.params)) {
    data[key] = decodeURIComponent(value);
  }
  data.RequestMethod = req.method;
  if (options.failEveryNth && n % options.failEveryNth === 0) {
    const fault = { faultcode: "Server", faultstring: `${route.operation}: injected failure` };
    return { status: 500, body: JSON.stringify(fault) };
  }
  const result = operate(route.operation, data);
  const error = result.body.Error as { ErrorCode?: string } | undefined;
  if (error?.ErrorCode) record.errorCode = error.ErrorCode;
  return { status: result.status, body: JSON.stringify(result.body), json: true };
}

/** The JSON body's data (none for GET), or the text OTOBO answers when it cannot read it. */
async function readBody(req: Request): Promise<Data | string> {
  if (req.method === "GET") return {};
  const text = await req.text();
  if (!text.length) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "Error while decoding request content.";
  }
  // A JSON array is passed on element-wise by OTOBO, which no ticket operation accepts.
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return "Unsupported request content structure.";
  }
  return body as Data;
}
