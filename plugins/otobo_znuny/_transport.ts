/**
 * One GenericInterface request over HTTP and its answer: GET data as query parameters (OTOBO
 * ignores GET bodies), other data as a JSON body, a time limit, and every failure as an
 * {@linkcode OtoboError} that says what the call did.
 *
 * @module
 */
import {
  type ErrorContext,
  httpError,
  operationError,
  OtoboError,
  timeoutError,
  unreachableError,
} from "./_errors.ts";

/** A JSON object as OTOBO sends and takes it. */
export type Data = Record<string, unknown>;

/** The GenericInterface operations the plugin calls. */
export type Operation = "SessionCreate" | "TicketSearch" | "TicketGet" | "TicketUpdate";

/** One call: the operation, its route below base_url, and its data. */
export interface Call {
  /** The operation. */
  operation: Operation;
  /** `GET` sends the data as query parameters, others as JSON. */
  method: "GET" | "POST" | "PATCH";
  /** The route, e.g. `/Ticket/7`. */
  route: string;
  /** The request data, without credentials. */
  data?: Data;
  /** The action for messages, e.g. `update ticket "7"`. */
  what: string;
  /** True when sending it twice does no harm, so it is tried again after an unknown outcome. */
  idempotent?: boolean;
  /** For messages: the queue a TicketUpdate moves the ticket to. */
  queue?: string | undefined;
}

/** Where and how long to wait. */
export interface Endpoint {
  /** The web service URL. */
  baseUrl: string;
  /** The time limit of one answer. */
  timeoutMs: number;
}

/**
 * Sends one request and reads its answer.
 *
 * @param call The operation, route and data.
 * @param data The data with credentials.
 * @param endpoint The web service and the time limit.
 * @param ctx What is being done, for messages.
 * @returns The answer's JSON object.
 * @throws {OtoboError} For every answer but a JSON object without `Error`, and for no answer.
 */
export async function exchange(
  call: Call,
  data: Data,
  endpoint: Endpoint,
  ctx: ErrorContext,
): Promise<Data> {
  const url = new URL(`${endpoint.baseUrl}${call.route}`);
  if (call.method === "GET") {
    for (const [key, value] of Object.entries(data)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(v));
      }
    }
  }
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: call.method,
      headers: { "Accept": "application/json", "Content-Type": "application/json" },
      ...(call.method === "GET" ? {} : { body: JSON.stringify(data) }),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
    status = response.status;
    // A connection dropped mid-answer fails here, after the status arrived.
    text = await response.text();
  } catch (e) {
    // A denied permission must reach the host as it is: the host names the grant to change.
    const name = (e as Error)?.name;
    if (name === "NotCapable" || name === "PermissionDenied") throw e;
    if (name === "TimeoutError") throw timeoutError(endpoint.timeoutMs, ctx);
    throw unreachableError(e, ctx);
  }
  if (status !== 200) throw httpError(status, text, ctx);
  return readAnswer(text, ctx);
}

/** An HTTP 200 answer: its JSON object, or the OtoboError its `Error` object describes. */
function readAnswer(text: string, ctx: ErrorContext): Data {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new OtoboError(
      `Cannot ${ctx.what} in OTOBO: "${ctx.origin}" did not answer with a JSON object; ` +
        `check that base_url points at a GenericInterface REST web service`,
      { kind: "http", operation: ctx.operation },
    );
  }
  const error = (body as Data).Error as { ErrorCode?: unknown; ErrorMessage?: unknown } | null;
  if (error && typeof error === "object") {
    const code = String(error.ErrorCode ?? `${ctx.operation}.Error`);
    throw operationError(code, String(error.ErrorMessage ?? ""), ctx);
  }
  return body as Data;
}
