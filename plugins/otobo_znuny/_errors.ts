/**
 * The one error class of the plugin and the wording of its messages. Messages never hold the
 * password, a URL with a query string, or anything else from a request.
 *
 * @module
 */

/** Why a call to OTOBO failed. */
export type OtoboErrorKind = "auth" | "access" | "operation" | "http" | "unreachable" | "timeout";

/** A failed call to OTOBO; `code` is OTOBO's `ErrorCode` when it sent one. */
export class OtoboError extends Error {
  /** What went wrong, for callers that react to it. */
  readonly kind: OtoboErrorKind;
  /** OTOBO's `Error.ErrorCode`, e.g. `TicketSearch.AuthFail`. */
  readonly code: string | undefined;
  /** The GenericInterface operation, e.g. `TicketSearch`. */
  readonly operation: string;

  /** Creates the error. */
  constructor(
    message: string,
    options: { kind: OtoboErrorKind; operation: string; code?: string | undefined },
  ) {
    super(message);
    this.name = "OtoboError";
    this.kind = options.kind;
    this.code = options.code;
    this.operation = options.operation;
  }
}

/** What a message needs to say what to do. */
export interface ErrorContext {
  /** The action, e.g. `search tickets` or `update ticket "7"`. */
  what: string;
  /** The GenericInterface operation. */
  operation: string;
  /** The agent login. */
  user: string;
  /** The env var holding the password. */
  passwordEnv: string;
  /** `scheme://host:port` of the web service. */
  origin: string;
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
  const detail = `${code} (${text})`;
  const options = { operation: ctx.operation, code };
  if (code.endsWith(".AuthFail")) {
    return new OtoboError(
      `Cannot log in to OTOBO as "${ctx.user}": ${detail}; check the password in env var ` +
        `"${ctx.passwordEnv}" and that "${ctx.user}" is a valid agent`,
      { ...options, kind: "auth" },
    );
  }
  if (code.endsWith(".AccessDenied")) {
    const permission = ctx.operation === "TicketUpdate" ? "rw" : "ro";
    return new OtoboError(
      `Cannot ${ctx.what} in OTOBO: ${detail}; check that the ticket exists and that ` +
        `"${ctx.user}" has ${permission} permission on its queue`,
      { ...options, kind: "access" },
    );
  }
  const fix = code.endsWith(".InvalidParameter")
    ? "; use a queue, state, priority, type or dynamic field name that exists in OTOBO"
    : code.startsWith("Webservice.")
    ? "; check the web service configuration in OTOBO"
    : "";
  return new OtoboError(`Cannot ${ctx.what} in OTOBO: ${detail}${fix}`, {
    ...options,
    kind: "operation",
  });
}

/**
 * An HTTP answer other than 200, after OTOBO's REST transport: 500 with an empty body for an
 * unknown web service, 500 with text for a route it cannot map, 500 with
 * `{ faultcode, faultstring }` when an operation crashed.
 *
 * @param status The HTTP status.
 * @param body The answer's text.
 * @param ctx What was being done.
 * @returns The error.
 */
export function httpError(status: number, body: string, ctx: ErrorContext): OtoboError {
  let detail = body.trim().slice(0, 300);
  let fix = "; check the OTOBO log (Admin > Web Services > Debugger)";
  try {
    const fault = JSON.parse(detail);
    if (typeof fault?.faultstring === "string") detail = fault.faultstring;
  } catch {
    // Plain text, as the transport sends it.
  }
  if (!detail) {
    fix = `; check that base_url names an existing, valid web service ` +
      `(".../nph-genericinterface.pl/Webservice/<Name>")`;
  } else if (detail.includes("determine Operation")) {
    fix = `; the web service has no route for ${ctx.operation}: add it to its ` +
      `RouteOperationMapping (see the plugin's README)`;
  }
  return new OtoboError(
    `Cannot ${ctx.what} in OTOBO: "${ctx.origin}" answered HTTP ${status}` +
      `${detail ? ` (${detail})` : ""}${fix}`,
    { operation: ctx.operation, kind: "http" },
  );
}

/**
 * A request that got no answer: connection refused, DNS failure, TLS problem.
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
    { operation: ctx.operation, kind: "unreachable" },
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
    { operation: ctx.operation, kind: "timeout" },
  );
}
