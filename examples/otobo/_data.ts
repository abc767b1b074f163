/**
 * Small shared helpers for the emulator's operations: request data, results and error objects.
 *
 * @module
 */

/** Request data as the REST transport hands it to an operation: query, URI and body merged. */
export type Data = Record<string, unknown>;

/** What an operation answers: the HTTP status and the JSON body. */
export interface OperationResult {
  /** 200 for every answer an operation gives, errors included. */
  status: number;
  /** The JSON body. */
  body: Record<string, unknown>;
}

/**
 * An operation error the way `Kernel::GenericInterface::Operation::Common::ReturnError` builds
 * it: HTTP 200 (the operation itself succeeded) and `{ Error: { ErrorCode, ErrorMessage } }`.
 *
 * @param code E.g. `TicketSearch.AuthFail`.
 * @param message E.g. `TicketSearch: Authorization failing!`.
 * @returns The result.
 */
export function fail(code: string, message: string): OperationResult {
  return { status: 200, body: { Error: { ErrorCode: code, ErrorMessage: message } } };
}

/**
 * A parameter OTOBO accepts "as STRING or as ARRAYREF", as a list of strings.
 *
 * @param value The raw value.
 * @returns The strings, or undefined when the value is absent or empty.
 */
export function list(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== "").map(String);
    return items.length ? items : undefined;
  }
  if (typeof value === "string" ? value.trim() !== "" : typeof value === "number") {
    return [String(value).trim()];
  }
  return undefined;
}

/**
 * Whether a value is what OTOBO's `IsHashRefWithData` accepts: an object with at least one key.
 *
 * @param value The value.
 * @returns True for a non-empty plain object.
 */
export function isHashWithData(value: unknown): value is Data {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    Object.keys(value).length > 0;
}

/**
 * An operation that returns `Success => 0` (an unexpected failure inside it, e.g. "Ticket queue
 * could not be updated"): the provider answers HTTP 500 with `{ faultcode, faultstring }`.
 *
 * @param message The operation's ErrorMessage.
 * @returns The result.
 */
export function fault(message: string): OperationResult {
  return { status: 500, body: { faultcode: "Server", faultstring: message } };
}

/**
 * The TicketID a request's id stands for. OTOBO on MySQL/MariaDB compares the id column with the
 * text as MySQL does (`"7abc"` and `" 7"` find ticket 7); Znuny takes whole numbers only.
 *
 * @param value The request's TicketID.
 * @param product Which product decides.
 * @returns The id, or NaN when it names no ticket.
 */
export function ticketIdOf(value: unknown, product: "otobo" | "znuny"): number {
  const text = String(value ?? "");
  if (product === "znuny") return /^\d+$/.test(text) ? Number(text) : NaN;
  const digits = /^\s*(\d+)/.exec(text);
  return digits ? Number(digits[1]) : NaN;
}
