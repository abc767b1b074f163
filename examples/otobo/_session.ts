/**
 * The emulator's sessions: the SessionCreate operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Session::SessionCreate`, and the authentication every
 * operation does (`Operation::Common::Auth`).
 *
 * @module
 */
import { type Data, fail, type OperationResult } from "./_data.ts";
import type { EmulatorUser, Store } from "./_store.ts";

/**
 * The sessions of a running emulator, and the agents who may log in. A session dies `ttlMs`
 * after SessionCreate whatever the activity: `CheckSessionID` compares `SessionMaxIdleTime`
 * (2 h by default) with the session's last request, which the GenericInterface never updates
 * (only the agent web interface does), and `SessionMaxTime` (16 h) with its start.
 */
export class Sessions {
  #store: Store;
  #ttlMs: number;
  #now: () => number;
  #sessions = new Map<string, { login: string; expires: number }>();

  /**
   * Creates an empty set of sessions.
   *
   * @param store The data, whose users may log in.
   * @param options How long a session lives after SessionCreate, and the clock.
   */
  constructor(store: Store, options: { ttlMs: number; now: () => number }) {
    this.#store = store;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  /**
   * The agent a request authenticates as: by its SessionID when it has one, else by
   * `UserLogin` and `Password`.
   *
   * @param data The request data.
   * @returns The agent, or undefined when the request does not authenticate.
   */
  authenticate(data: Data): EmulatorUser | undefined {
    // Operation::Common::Auth: a SessionID, when given, is all that counts.
    if (data.SessionID) {
      const session = this.#sessions.get(String(data.SessionID));
      if (!session || session.expires <= this.#now()) {
        this.#sessions.delete(String(data.SessionID));
        return undefined;
      }
      return this.#store.users.get(session.login);
    }
    // Customer users (CustomerUserLogin) are not modeled: they never authenticate.
    const user = this.#store.users.get(String(data.UserLogin ?? ""));
    return user && data.Password && user.password === String(data.Password) ? user : undefined;
  }

  /**
   * Runs SessionCreate: logs an agent in and answers `{ SessionID }`.
   *
   * @param data The request data.
   * @returns The response data.
   */
  create(data: Data): OperationResult {
    const missing = (what: string) =>
      fail("SessionCreate.MissingParameter", `SessionCreate: ${what}`);
    if (!data.UserLogin && !data.CustomerUserLogin && !data.Password) {
      return missing("The request is empty!");
    }
    if (!data.Password) return missing("Password parameter is missing!");
    const user = this.authenticate({ UserLogin: data.UserLogin, Password: data.Password });
    if (!user) return fail("SessionCreate.AuthFail", "SessionCreate: Authorization failing!");
    const id = randomSessionId();
    this.#sessions.set(id, { login: user.login, expires: this.#now() + this.#ttlMs });
    return { status: 200, body: { SessionID: id } };
  }
}

/** A new random SessionID of 32 letters and digits. */
function randomSessionId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => alphabet[b % 62]).join("");
}
