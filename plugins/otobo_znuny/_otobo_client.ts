/**
 * The HTTP side of the plugin: one GenericInterface call with authentication (credentials on
 * every request, or a SessionID from SessionCreate), one re-login when a session has died, and
 * retries with backoff for calls that may safely be sent again.
 *
 * @module
 */
import type { PluginLogger } from "@otai/cli/plugin";
import { type ErrorContext, OtoboError } from "./_errors.ts";
import type { ResolvedOptions } from "./_options.ts";
import { backoff } from "./_backoff.ts";
import { type Call, type Data, exchange } from "./_transport.ts";

export type { Call, Data, Operation } from "./_transport.ts";

/** Talks to one OTOBO/Znuny GenericTicketConnectorREST web service as one agent. */
export class OtoboClient {
  #options: ResolvedOptions;
  #password: string;
  #log: PluginLogger | undefined;
  #session: Promise<string> | undefined;
  #secrets = new Set<string>();

  /**
   * Creates a client; it does not connect until the first call.
   *
   * @param options The service params.
   * @param password The agent's password.
   * @param log Where to note re-logins and retries.
   */
  constructor(options: ResolvedOptions, password: string, log?: PluginLogger) {
    this.#options = options;
    this.#password = password;
    this.#log = log;
    this.#secrets.add(password);
  }

  /** The agent login. */
  get user(): string {
    return this.#options.user;
  }

  /**
   * Runs one operation and returns its data. A read, or a call marked `idempotent`, whose
   * outcome is unknown (HTTP 5xx, a timeout, a refused or dropped connection) is tried again
   * up to `retries` times, waiting `retry_delay_ms`, then twice that, and so on.
   *
   * @param call The operation, route and data.
   * @returns The answer's JSON object.
   * @throws {OtoboError} When OTOBO refuses it, or no try gets an answer.
   */
  async call(call: Call): Promise<Data> {
    const again = call.idempotent ?? call.operation !== "TicketUpdate";
    const { retries, retry_delay_ms } = this.#options;
    for (let attempt = 0;; attempt++) {
      try {
        return await this.#authenticated(call);
      } catch (e) {
        if (!(e instanceof OtoboError) || e.outcome !== "unknown" || !again) throw e;
        if (attempt >= retries) throw e;
        this.#log?.info("OTOBO: {error}; trying again (try {next})", {
          error: e.message,
          next: attempt + 2,
        });
        await backoff(retry_delay_ms, attempt);
      }
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
      const [method, route] = this.#options.search_route.split(" ") as ["GET" | "POST", string];
      await this.call({
        operation: "TicketSearch",
        method,
        route,
        data: { Limit: 1 },
        what: "search tickets",
      });
    }
    return this.user;
  }

  /** One try, with a SessionID (logging in again once if it has died) or with credentials. */
  async #authenticated(call: Call): Promise<Data> {
    if (!this.#options.session) return await this.#send(call, this.#credentials());
    const session = await this.#login();
    try {
      return await this.#send(call, { SessionID: session });
    } catch (e) {
      // A dead session fails like a wrong password, before the operation does anything.
      if (!(e instanceof OtoboError) || e.kind !== "auth") throw e;
      if (this.#session && (await this.#session.catch(() => "")) === session) {
        this.#session = undefined;
      }
      const fresh = await this.#login();
      this.#log?.info("OTOBO session expired; logged in again as {user}", { user: this.user });
      return await this.#send(call, { SessionID: fresh });
    }
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
      this.#secrets.add(data.SessionID);
      return data.SessionID;
    });
    const session = this.#session;
    session.catch(() => {
      if (this.#session === session) this.#session = undefined;
    });
    return session;
  }

  async #send(call: Call, auth: Data): Promise<Data> {
    const ctx: ErrorContext = {
      what: call.what,
      operation: call.operation,
      user: this.#options.user,
      passwordEnv: this.#options.password_env,
      origin: new URL(this.#options.base_url).origin,
      queue: call.queue,
    };
    const endpoint = { baseUrl: this.#options.base_url, timeoutMs: this.#options.timeout_ms };
    try {
      // Credentials last: request data never overrides them.
      return await exchange(call, { ...call.data, ...auth }, endpoint, ctx);
    } catch (e) {
      throw e instanceof OtoboError ? this.#redact(e) : e;
    }
  }

  /** Belt and braces: no message leaves with the password or a SessionID in it. */
  #redact(error: OtoboError): OtoboError {
    let message = error.message;
    for (const secret of this.#secrets) {
      if (secret.length < 4) continue;
      for (
        const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]
      ) {
        message = message.replaceAll(form, "***");
      }
    }
    if (message === error.message) return error;
    return new OtoboError(message, {
      kind: error.kind,
      operation: error.operation,
      code: error.code,
      outcome: error.outcome,
      detail: error.detail,
    });
  }
}
