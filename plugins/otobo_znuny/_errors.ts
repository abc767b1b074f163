/**
 * The one error class of the plugin and the wording of its messages. Messages never hold the
 * password, a session id, a URL with a query string, or anything else from a request.
 *
 * @module
 */
import { accessFix, type ErrorContext, faultFix, operationFix } from "./_hints.ts";
export type { ErrorContext };

/** Why a call to OTOBO failed. */
export type OtoboErrorKind = "auth" | "access" | "operation" | "http" | "unreachable" | "timeout";

/**
 * What a failed call did: `none` (OTOBO refused it before writing), `unknown` (no usable
 * answer: the work may or may not be done), `partial` (the operation failed part-way, and the
 * writes before the failure stay, since TicketUpdate is not atomic).
 */
export type Outcome = "none" | "unknown" | "partial";

/** A failed call to OTOBO; `code` is OTOBO's `ErrorCode` when it sent one. */
export class OtoboError extends Error {
  /** What went wrong, for callers that react to it. */
  readonly kind: OtoboErrorKind;
  /** OTOBO's `Error.ErrorCode`, e.g. `TicketSearch.AuthFail`. */
  readonly code: string | undefined;
  /** The GenericInterface operation, e.g. `TicketSearch`. */
  readonly operation: string;
  /** What the call did to the data. */
  readonly outcome: Outcome;
  /** OTOBO's ErrorMessage or faultstring, when it sent one. */
  readonly detail: string | undefined;

  /** Creates the error. */
  constructor(
    message: string,
    options: {
      kind: OtoboErrorKind;
      operation: string;
      code?: string | undefined;
      outcome?: Outcome | undefined;
      detail?: string | undefined;
    },
  ) {
    super(message);
    this.name = "OtoboError";
    this.kind = options.kind;
    this.code = options.code;
    this.operation = options.operation;
    this.outcome = options.outcome ?? "none";
    this.detail = options.detail;
  }
}

/**
 * Turns OTOBO's `{ Error: { ErrorCode, ErrorMessage } }` into an {@linkcode OtoboError}.
 *
 * @param code The ErrorCode.
 * @param text The ErrorMessage.
 * @param ctx What was being done.
 * @returns The error.
 */
export function operationError(code: string, text: string, ctx: ErrorContext): OtoboError {
  const message = `${code} (${text})`;
  const options = { operation: ctx.operation, code, detail: text };
  if (code.endsWith(".AuthFail")) {
    return new OtoboError(
      `Cannot log in to OTOBO as "${ctx.user}": ${message}; check the password in env var ` +
        `"${ctx.passwordEnv}" and that "${ctx.user}" is a valid agent`,
      { ...options, kind: "auth" },
    );
  }
  if (code.endsWith(".AccessDenied")) {
    return new OtoboError(`Cannot ${ctx.what} in OTOBO: ${message}; ${accessFix(text, ctx)}`, {
      ...options,
      kind: "access",
    });
  }
  // The one refusal TicketUpdate makes after writing: queue, lock and type stay.
  const partial = /pending state without pendig time/.test(text);
  return new OtoboError(`Cannot ${ctx.what} in OTOBO: ${message}${operationFix(code, text)}`, {
    ...options,
    kind: "operation",
    outcome: partial ? "partial" : "none",
  });
}

/**
 * An HTTP answer other than 200, after OTOBO's REST transport: 500 with an empty body for an
 * unknown web service, 500 with text for a route it cannot map, 500 with
 * `{ faultcode, faultstring }` when an operation failed inside. A known faultstring is a
 * definite failure (`partial`: earlier writes stay); anything else leaves the outcome unknown.
 *
 * @param status The HTTP status.
 * @param body The answer's text.
 * @param ctx What was being done.
 * @returns The error.
 */
export function httpError(status: number, body: string, ctx: ErrorContext): OtoboError {
  let detail = body.trim().slice(0, 300);
  let fault: string | undefined;
  try {
    const parsed = JSON.parse(detail);
    if (typeof parsed?.faultstring === "string") fault = detail = parsed.faultstring;
  } catch {
    // Plain text, as the transport sends it.
  }
  const known = fault === undefined ? undefined : faultFix(fault, ctx);
  let fix = known ?? "; check the OTOBO log (Admin > Web Services > Debugger)";
  let outcome: Outcome = known ? "partial" : "unknown";
  if (!detail && status === 500) {
    fix = `; check that base_url names an existing, valid web service ` +
      `(".../nph-genericinterface.pl/Webservice/<Name>")`;
    outcome = "none";
  } else if (detail.includes("determine Operation")) {
    fix = `; the web service has no route for ${ctx.operation}` +
      (ctx.operation === "TicketSearch"
        ? `: use search_route: "GET /Ticket" (the stock route) or add the route`
        : `: add it to its RouteOperationMapping (see the plugin's README)`);
    outcome = "none";
  }
  return new OtoboError(
    `Cannot ${ctx.what} in OTOBO: "${ctx.origin}" answered HTTP ${status}` +
      `${detail ? ` (${detail})` : ""}${fix}`,
    { operation: ctx.operation, kind: "http", outcome, detail: fault },
  );
}

/**
 * A request that got no answer: connection refused or dropped, DNS failure, TLS problem.
 *
 * @param cause The error fetch threw.
 * @param ctx What was being done.
 * @returns The error.
 */
export function unreachableError(cause: unknown, ctx: ErrorContext): OtoboError {
  // fetch's own message names the full URL, query string and all: keep only the reason.
  const raw = String((cause as Error)?.cause ?? (cause as Error)?.message ?? cause);
  const reason = raw
    .replace(/^\w*Error: /, "")
    .replace(/error sending request for url \([^)]*\):?\s*/i, "")
    .replace(/client error \(\w+\):\s*/i, "")
    .replace(/https?:\/\/\S+/g, "<url>")
    .trim() || "no answer";
  return new OtoboError(
    `Cannot reach OTOBO at "${ctx.origin}" to ${ctx.what}: ${reason}; check base_url and that ` +
      `the server is running and reachable`,
    { operation: ctx.operation, kind: "unreachable", outcome: "unknown" },
  );
}

/**
 * A request that took longer than `timeout_ms`.
 *
 * @param timeoutMs The limit.
 * @param ctx What was being done.
 * @returns The error.
 */
export function timeoutError(timeoutMs: number, ctx: ErrorContext): OtoboError {
  return new OtoboError(
    `Cannot ${ctx.what} in OTOBO: "${ctx.origin}" did not answer ${ctx.operation} within ` +
      `${timeoutMs} ms; check the server's load or raise timeout_ms`,
    { operation: ctx.operation, kind: "timeout", outcome: "unknown" },
  );
}
