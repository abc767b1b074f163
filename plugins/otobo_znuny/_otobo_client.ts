/**
 * The HTTP side of the plugin: one GenericInterface call, with authentication (credentials on
 * every request, or a SessionID from SessionCreate), one re-login when a session has expired,
 * timeouts, and errors that say what to do.
 *
 * @module
 */
import type { PluginLogger } from "../../plugin.ts";
import {
  type ErrorContext,
  httpError,
  operationError,
  OtoboError,
  timeoutError,
  unreachableError,
} from "./_errors.ts";
import type { ResolvedOptions } from "./_options.ts";

/** A JSON object as OTOBO sends and takes it. */
export type Data = Record<string, unknown>;

/** The GenericInterface operations the plugin calls. */
export type Operation = "SessionCreate" | "TicketSearch" | "TicketGet" | "TicketUpdate";

/** One call: the operation, its route below base_url, and its data. */
export interface Call {
  /** The operation. */
  operation: Operation;
  /** `GET` sends the data as query parameters (OTOBO ignores GET bodies), others as JSON. */
  method: "GET" | "POST" | "PATCH";
  /** The route, e.g. `/Ticket/7`. */
  route: string;
  /** The request data, without credentials. */
  data?: Data;
  /** The action for messages, e.g. `update ticket "7"`. */
  what: string;
}

/** Operations that change nothing, so a crashed one (HTTP 5xx) may be tried once more. */
const READ_ONLY = new Set<Operation>(["SessionCreate", "TicketSearch", "TicketGet"]);

/** Talks to one OTOBO/Znuny GenericTicketConnectorREST web service as one agent. */
export class OtoboClient {
  #options: ResolvedOptions;
  #password: string;
  #log: PluginLogger | undefined;
  #session: Promise<string> | undefined;

  /**
   * Creates a client; it does not connect until the first call.
   *
   * @param options The service params.
   * @param password The agent's password.
   * @param log Where to note re-logins.
   */
  constructor(options: ResolvedOptions, password: string, log?: PluginLogger) {
    this.#options = options;
    this.#password = password;
    this.#log = log;
  }

  /** The agent login. */
  get user(): string {
    return this.#options.user;
  }

  /**
   * Runs one operation and returns its data.
   *
   * @param call The operation, route and data.
   * @returns The answer's JSON object.
   * @throws {OtoboError} When OTOBO answers an error, cannot be reached or is too slow.
   */
  async call(call: Call): Promise<Data> {
    if (!this.#options.session) return await this.#send(call, this.#credentials());
    const session = await this.#login();
    try {
      return await this.#send(call, { SessionID: session });
    } catch (e) {
      // An expired or removed session fails like a wrong password: <Operation>.AuthFail.
      if (!(e instanceof OtoboError) || e.kind !== "auth") throw e;
      if (this.#session && (await this.#session.catch(() => "")) === session) {
        this.#session = undefined;
      }
      const fresh = await this.#login();
      this.#log?.info("OTOBO session expired; logged in again as {user}", { user: this.user });
      return await this.#send(call, { SessionID: fresh });
    }
  }

  /**
   * Checks that OTOBO answers and accepts the login.
   *
   * @returns The agent login.
   * @throws {OtoboError} When it does not.
   */
  async ping(): Promise<string> {
    if (this.#options.session) {
      this.#session = undefined;
      await this.#login();
    } else {
      await this.call({
        operation: "TicketSearch",
        method: "POST",
        route: "/TicketSearch",
        data: { Limit: 1 },
        what: "search tickets",
      });
    }
    return this.user;
  }

  #credentials(): Data {
    return { UserLogin: this.#options.user, Password: this.#password };
  }

  #login(): Promise<string> {
    this.#session ??= this.#send({
      operation: "SessionCreate",
      method: "POST",
      route: "/Session",
      what: "log in",
    }, this.#credentials()).then((data) => {
      if (typeof data.SessionID !== "string" || !data.SessionID) {
        throw new OtoboError(
          `Cannot log in to OTOBO as "${this.user}": SessionCreate answered no SessionID; ` +
            `check that base_url's web service routes POST /Session to SessionCreate`,
          { kind: "operation", operation: "SessionCreate" },
        );
      }
      return data.SessionID;
    });
    const session = this.#session;
    session.catch(() => {
      if (this.#session === session) this.#session = undefined;
    });
    return session;
  }

  async #send(call: Call, auth: Data, attempt = 1): Promise<Data> {
    const ctx: ErrorContext = {
      what: call.what,
      operation: call.operation,
      user: this.#options.user,
      passwordEnv: this.#options.password_env,
      origin: new URL(this.#options.base_url).origin,
    };
    try {
      const { status, text } = await this.#exchange(call, { ...call.data, ...auth }, ctx);
      if (status !== 200) {
        if (status >= 500 && attempt === 1 && READ_ONLY.has(call.operation)) {
          return await this.#send(call, auth, 2);
        }
        throw httpError(status, text, ctx);
      }
      return readAnswer(text, ctx);
    } catch (e) {
      throw e instanceof OtoboError ? this.#redact(e) : e;
    }
  }

  /** One HTTP request and its answer's text; failures to get one become OtoboErrors. */
  async #exchange(
    call: Call,
    data: Data,
    ctx: ErrorContext,
  ): Promise<{ status: number; text: string }> {
    const { base_url, timeout_ms } = this.#options;
    const url = new URL(`${base_url}${call.route}`);
    if (call.method === "GET") {
      for (const [key, value] of Object.entries(data)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          url.searchParams.append(key, String(v));
        }
      }
    }
    try {
      const response = await fetch(url, {
        method: call.method,
        headers: { "Accept": "application/json", "Content-Type": "application/json" },
        ...(call.method === "GET" ? {} : { body: JSON.stringify(data) }),
        signal: AbortSignal.timeout(timeout_ms),
      });
      return { status: response.status, text: await response.text() };
    } catch (e) {
      // A denied permission must reach the host as it is: the host names the grant to change.
      const name = (e as Error)?.name;
      if (name === "NotCapable" || name === "PermissionDenied") throw e;
      if (name === "TimeoutError") throw timeoutError(timeout_ms, ctx);
      throw unreachableError(e, ctx);
    }
  }

  /** Belt and braces: no message leaves with the password in it. */
  #redact(error: OtoboError): OtoboError {
    const secret = this.#password;
    if (secret.length < 4) return error;
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    let message = error.message;
    for (const form of forms) message = message.replaceAll(form, "***");
    if (message === error.message) return error;
    return new OtoboError(message, {
      kind: error.kind,
      operation: error.operation,
      code: error.code,
    });
  }
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
