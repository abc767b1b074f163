/**
 * The emulator's HTTP handler: it reads a request the way OTOBO's
 * `Kernel::GenericInterface::Transport::HTTP::REST` does, hands it to an operation and answers
 * like OTOBO, recording each request, and injects faults when asked.
 *
 * @module
 */
import type { Data, OperationResult } from "./_data.ts";
import { droppedResponse, type Fault, type FaultPlan } from "./_faults.ts";
import { matchRoute, queryParams, type Route } from "./_http.ts";

/** One request the emulator answered. Never holds credentials. */
export interface RequestRecord {
  /** The HTTP method. */
  method: string;
  /** The path below the web service, without the query string. */
  route: string;
  /** The operation it reached, if any. */
  operation?: string;
  /** The HTTP status (200 for a dropped connection, whose body never completes). */
  status: number;
  /** The `Error.ErrorCode` of the answer, if any. */
  errorCode?: string;
  /** The fault injected, e.g. `drop after`. */
  fault?: string;
}

/** What the web service's debugger stored of a request (`DebugThreshold: debug`). */
export interface DebugEntry {
  /** The operation. */
  operation: string;
  /** The request as received: query string and body, credentials included, as OTOBO does. */
  data: string;
}

/** How far TicketUpdate gets before a `partial` fault stops it. */
export type StopAfter = "ticket" | "article";

/** Runs one operation (by its type) on the request data. */
export type Operate = (type: string, data: Data, stopAfter?: StopAfter) => OperationResult;

/** Options for {@linkcode createHandler}. */
export interface HandlerOptions {
  /** The path below which web services sit, e.g. `/otobo/nph-genericinterface.pl/Webservice/`. */
  prefix: string;
  /** The web service name in the URL. */
  webservice: string;
  /** The web service's RouteOperationMapping. */
  routes: Route[];
  /** Answer every Nth request with HTTP 500 and a fault, when it reaches an operation. */
  failEveryNth?: number | undefined;
  /** The faults to inject; read on every request, so it may change while running. */
  faults: () => FaultPlan | undefined;
  /** `debug` (the stock web service's threshold) keeps every request's data. */
  debugThreshold: "debug" | "error";
  /** Called after each request. */
  onRequest?: ((record: RequestRecord) => void) | undefined;
}

/** An answer before it becomes a Response. */
interface Answer {
  status: number;
  body: string;
  drop?: boolean;
}

/**
 * Creates the handler of a web service.
 *
 * @param operate Runs the operation a request reaches.
 * @param options Prefix, name and routes of the web service, faults, a callback per request.
 * @returns The handler for `Deno.serve`, the record of what it answered, and the debugger's.
 */
export function createHandler(
  operate: Operate,
  options: HandlerOptions,
): {
  handle: (req: Request) => Promise<Response>;
  log: RequestRecord[];
  debug: DebugEntry[];
  wake: () => void;
} {
  const log: RequestRecord[] = [];
  const debug: DebugEntry[] = [];
  const sleepers = new Set<() => void>();
  let received = 0;
  async function handle(req: Request): Promise<Response> {
    const n = ++received;
    const url = new URL(req.url);
    const record: RequestRecord = { method: req.method, route: url.pathname, status: 500 };
    // Logged in the order requests arrive; the status is filled in when the answer goes.
    log.push(record);
    const exchange = { url, record, n, operate, options, debug, sleepers };
    const answer = await respond(req, exchange);
    record.status = answer.drop ? 200 : answer.status;
    options.onRequest?.(record);
    if (answer.drop) return droppedResponse();
    // Transport::HTTP::REST: JSON only with 200, every other answer is text/plain.
    const type = answer.status === 200 ? "application/json" : "text/plain";
    return new Response(answer.body, {
      status: answer.status,
      headers: { "Content-Type": `${type}; charset=UTF-8`, "Connection": "close" },
    });
  }
  // Slow answers end at once when the emulator closes.
  const wake = () => [...sleepers].forEach((done) => done());
  return { handle, log, debug, wake };
}

/** The request's URL, record and number, and the service that answers it. */
interface Exchange {
  url: URL;
  record: RequestRecord;
  n: number;
  operate: Operate;
  options: HandlerOptions;
  debug: DebugEntry[];
  sleepers: Set<() => void>;
}

/** Routes the request, runs its operation (with any fault) and notes what it reached. */
async function respond(req: Request, exchange: Exchange): Promise<Answer> {
  const { url, record, options } = exchange;
  if (!url.pathname.startsWith(options.prefix)) return { status: 404, body: "Not Found" };
  const rest = url.pathname.slice(options.prefix.length);
  const name = decodeURIComponent(rest.split("/")[0] ?? "");
  record.route = rest.slice(rest.indexOf("/") === -1 ? rest.length : rest.indexOf("/")) || "/";
  // An unknown web service: OTOBO bails out and the server answers an empty 500.
  if (name !== options.webservice) return { status: 500, body: "" };
  const match = matchRoute(options.routes, req.method, record.route);
  if (!match) {
    return {
      status: 500,
      body: `HTTP::REST Error while determine Operation for request URI '${record.route}'.`,
    };
  }
  record.operation = match.route.operation;
  const text = req.method === "GET" ? "" : await req.text();
  const body = readBody(text);
  if (typeof body === "string") return { status: 500, body };
  if (options.debugThreshold === "debug") {
    exchange.debug.push({ operation: match.route.operation, data: `${url.search} ${text}` });
  }
  // Query parameters, then the route's :params, are written over the body's keys.
  const uri: Data = { ...queryParams(url.search) };
  for (const [key, value] of Object.entries(match.params)) uri[key] = decodeURIComponent(value);
  const data: Data = { ...body, ...uri, RequestMethod: req.method };
  if (options.failEveryNth && exchange.n % options.failEveryNth === 0) {
    return crashed(`${match.route.type}: injected failure`);
  }
  const fault = options.faults()?.next(match.route.type);
  if (fault) record.fault = `${fault.kind} ${fault.when}`;
  return await withFault(exchange, { type: match.route.type, data, fault });
}

/** Runs the operation, injecting the fault before, during or after it. */
async function withFault(
  exchange: Exchange,
  call: { type: string; data: Data; fault: Fault | undefined },
): Promise<Answer> {
  const { type, data, fault } = call;
  const failed = (): Answer =>
    fault?.kind === "drop" ? { status: 200, body: "", drop: true } : crashed(`${type}: crashed`);
  if (fault?.when === "before") return failed();
  const stopAfter = fault?.when === "partial-ticket"
    ? "ticket"
    : fault?.when === "partial-article"
    ? "article"
    : undefined;
  const result = exchange.operate(type, data, stopAfter);
  const error = result.body.Error as { ErrorCode?: string } | undefined;
  if (error?.ErrorCode) exchange.record.errorCode = error.ErrorCode;
  if (fault?.kind === "slow") {
    await sleep(exchange.options.faults()?.slowMs ?? 0, exchange.sleepers);
  } else if (fault) return failed();
  return { status: result.status, body: JSON.stringify(result.body) };
}

/** OTOBO's answer to an operation that died: HTTP 500 with a fault. */
function crashed(message: string): Answer {
  return { status: 500, body: JSON.stringify({ faultcode: "Server", faultstring: message }) };
}

/** The JSON body's data, or the text OTOBO answers when it cannot read it. */
function readBody(text: string): Data | string {
  if (!text.length) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "Error while decoding request content.";
  }
  // Perl: a false value (`false`, `0`, `""`, `null`) did not decode; only an object with keys
  // goes on (an array is passed on element-wise, which no ticket operation accepts).
  if (!body) return "Error while decoding request content.";
  if (typeof body !== "object" || Array.isArray(body) || !Object.keys(body).length) {
    return "Unsupported request content structure.";
  }
  return body as Data;
}

/** Waits, or stops waiting when woken (the emulator closes). */
function sleep(ms: number, sleepers: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    sleepers.add(done);
    function done() {
      clearTimeout(timer);
      sleepers.delete(done);
      resolve();
    }
  });
}
