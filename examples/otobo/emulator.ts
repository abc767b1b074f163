/**
 * An emulator of OTOBO's (and Znuny's, and OTRS 6's) GenericInterface web service
 * `GenericTicketConnectorREST`, for trying otai and testing the `otobo-znuny` plugin without a
 * help desk. It follows the REST transport (`Kernel::GenericInterface::Transport::HTTP::REST`)
 * and the Session and Ticket operations of OTOBO's source:
 *
 * | operation      | method       | route (below `/otobo/nph-genericinterface.pl/Webservice/<Name>`) |
 * | -------------- | ------------ | ---------------------------------------------------------------- |
 * | SessionCreate  | POST         | `/Session`                                                       |
 * | TicketGet      | GET          | `/Ticket/:TicketID` (`1,2,3` gets several)                       |
 * | TicketGetList  | GET          | `/TicketList?TicketID=1&TicketID=2` (the template's)             |
 * | TicketSearch   | GET, POST    | `/TicketSearch`                                                  |
 * | TicketSearchGet| GET          | `/Ticket` (the template's TicketSearch route)                    |
 * | TicketUpdate   | PATCH, POST  | `/Ticket/:TicketID`                                              |
 *
 * Like OTOBO: request data is the query string, then the JSON body (not for GET), then the
 * route's `:params`, later ones winning; an operation's error is HTTP 200 with
 * `{ "Error": { "ErrorCode", "ErrorMessage" } }`; an unknown route is HTTP 500 (text/plain);
 * authentication is `UserLogin` + `Password` on every request, or a `SessionID` from
 * SessionCreate, and an expired session fails as `<Operation>.AuthFail`.
 *
 * Run it: `deno run --allow-net examples/otobo/emulator.ts [--port 8787]` (add
 * `--allow-read --seed other.json` for other seed data).
 *
 * @example
 * ```ts
 * import { startOtoboEmulator } from "./emulator.ts";
 * import { strictEqual } from "node:assert/strict";
 * await using emu = await startOtoboEmulator({ users: [{ login: "a", password: "p" }] });
 * const res = await fetch(`${emu.baseUrl}/Session`, {
 *   method: "POST",
 *   body: JSON.stringify({ UserLogin: "a", Password: "p" }),
 * });
 * strictEqual(typeof (await res.json()).SessionID, "string");
 * ```
 *
 * @module
 */
import seed from "./seed.json" with { type: "json" };
import {
  type Catalog,
  createStore,
  type EmulatorUser,
  type Seed,
  type SeedTicket,
  type StoredTicket,
} from "./_store.ts";
import { type Data, fail, type OperationResult } from "./_data.ts";
import { ticketSearch } from "./_search.ts";
import { ticketGet } from "./_get.ts";
import { ticketUpdate } from "./_update.ts";
import { matchRoute, PREFIX, queryParams, randomSessionId } from "./_http.ts";

export type { Catalog, EmulatorUser, SeedTicket, StoredTicket };
export type { StoredArticle } from "./_store.ts";

/** Options for {@linkcode startOtoboEmulator}. */
export interface OtoboEmulatorOptions {
  /** The port; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on; default `127.0.0.1`. */
  hostname?: string;
  /** The tickets; default the ones in `seed.json`. */
  tickets?: SeedTicket[];
  /** Agents who may log in; default the ones in `seed.json`. */
  users?: EmulatorUser[];
  /** Extra queues, states, priorities, types and dynamic fields; default `seed.json`'s. */
  catalog?: Partial<Catalog>;
  /** How long a session lives after SessionCreate; default 16 h, OTOBO's `SessionMaxTime`. */
  sessionTtlMs?: number;
  /** The web service name in the URL; default `GenericTicketConnectorREST`. */
  webservice?: string;
  /**
   * Answer every Nth request (counting all requests) with HTTP 500 and a fault, the way OTOBO
   * reports an operation that crashed, when that request reaches an operation.
   */
  failEveryNth?: number;
  /** Called after each request, e.g. to print it. */
  onRequest?: (record: RequestRecord) => void;
}

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

/** A running emulator. */
export interface OtoboEmulator extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The web service's base URL, for the plugin's `base_url`. */
  baseUrl: string;
  /** The live ticket store, by TicketID; inspect or change it freely. */
  tickets: Map<number, StoredTicket>;
  /** What it has answered so far. */
  requests: { readonly count: number; readonly log: readonly RequestRecord[] };
  /** Stops listening and waits for open requests. */
  close(): Promise<void>;
}

const defaults = {
  hostname: "127.0.0.1",
  port: 0,
  sessionTtlMs: 16 * 60 * 60 * 1000,
  webservice: "GenericTicketConnectorREST",
} satisfies OtoboEmulatorOptions;

/**
 * Starts the emulator on `Deno.serve`.
 *
 * @param options Port, seed data, users, session lifetime, failure injection.
 * @returns The running emulator; `close()` it (or `await using` it).
 */
export function startOtoboEmulator(options: OtoboEmulatorOptions = {}): Promise<OtoboEmulator> {
  const o = { ...defaults, ...options };
  const base = structuredClone(seed) as Seed;
  const store = createStore({
    users: options.users ?? base.users ?? [],
    catalog: options.catalog ?? base.catalog ?? {},
    tickets: structuredClone(options.tickets ?? base.tickets ?? []),
  });
  const sessions = new Map<string, { login: string; expires: number }>();
  const log: RequestRecord[] = [];
  let received = 0;

  function authenticate(data: Data): EmulatorUser | undefined {
    // Operation::Common::Auth: a SessionID, when given, is all that counts.
    if (data.SessionID) {
      const session = sessions.get(String(data.SessionID));
      if (!session || session.expires <= Date.now()) {
        sessions.delete(String(data.SessionID));
        return undefined;
      }
      return store.users.get(session.login);
    }
    // Customer users (CustomerUserLogin) are not modeled: they never authenticate.
    const user = store.users.get(String(data.UserLogin ?? ""));
    return user && data.Password && user.password === String(data.Password) ? user : undefined;
  }

  function sessionCreate(data: Data): OperationResult {
    const missing = (what: string) =>
      fail("SessionCreate.MissingParameter", `SessionCreate: ${what}`);
    if (!data.UserLogin && !data.CustomerUserLogin && !data.Password) {
      return missing("The request is empty!");
    }
    if (!data.Password) return missing("Password parameter is missing!");
    const user = authenticate({ UserLogin: data.UserLogin, Password: data.Password });
    if (!user) return fail("SessionCreate.AuthFail", "SessionCreate: Authorization failing!");
    const id = randomSessionId();
    sessions.set(id, { login: user.login, expires: Date.now() + o.sessionTtlMs });
    return { status: 200, body: { SessionID: id } };
  }

  function operate(operation: string, data: Data): OperationResult {
    switch (operation) {
      case "SessionCreate":
        return sessionCreate(data);
      case "TicketGet":
      case "TicketGetList":
        return ticketGet(store, authenticate(data), data);
      case "TicketSearch":
      case "TicketSearchGet":
        return ticketSearch(store, authenticate(data), data);
      default:
        return ticketUpdate(store, () => authenticate(data), data);
    }
  }

  async function handle(req: Request): Promise<Response> {
    const n = ++received;
    const url = new URL(req.url);
    const record: RequestRecord = { method: req.method, route: url.pathname, status: 500 };
    const answer = (status: number, body: string, json = false) => {
      record.status = status;
      log.push(record);
      o.onRequest?.(record);
      return new Response(body, {
        status,
        headers: {
          // Transport::HTTP::REST: JSON only with 200, every other answer is text/plain.
          "Content-Type": `${json ? "application/json" : "text/plain"}; charset=UTF-8`,
          "Connection": "close",
        },
      });
    };
    if (!url.pathname.startsWith(PREFIX)) return answer(404, "Not Found");
    const rest = url.pathname.slice(PREFIX.length);
    const name = decodeURIComponent(rest.split("/")[0] ?? "");
    record.route = rest.slice(rest.indexOf("/") === -1 ? rest.length : rest.indexOf("/")) || "/";
    // An unknown web service: OTOBO bails out and the server answers an empty 500.
    if (name !== o.webservice) return answer(500, "");
    const route = matchRoute(req.method, record.route);
    if (!route) {
      return answer(
        500,
        `HTTP::REST Error while determine Operation for request URI '${record.route}'.`,
      );
    }
    record.operation = route.operation;
    const data: Data = { ...queryParams(url.search) };
    if (req.method !== "GET") {
      const text = await req.text();
      if (text.length) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return answer(500, "Error while decoding request content.");
        }
        // A JSON array is passed on element-wise by OTOBO, which no ticket operation accepts.
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          return answer(500, "Unsupported request content structure.");
        }
        Object.assign(data, body);
      }
    }
    for (const [key, value] of Object.entries(route.params)) {
      data[key] = decodeURIComponent(value);
    }
    data.RequestMethod = req.method;
    if (o.failEveryNth && n % o.failEveryNth === 0) {
      const fault = { faultcode: "Server", faultstring: `${route.operation}: injected failure` };
      return answer(500, JSON.stringify(fault));
    }
    const result = operate(route.operation, data);
    const error = result.body.Error as { ErrorCode?: string } | undefined;
    if (error?.ErrorCode) record.errorCode = error.ErrorCode;
    return answer(result.status, JSON.stringify(result.body), true);
  }

  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: o.hostname,
      port: o.port,
      onListen({ port }) {
        const url = `http://${o.hostname}:${port}`;
        const close = () => server.shutdown();
        resolve({
          url,
          baseUrl: `${url}${PREFIX}${encodeURIComponent(o.webservice)}`,
          tickets: store.tickets,
          requests: {
            get count() {
              return log.length;
            },
            log,
          },
          close,
          [Symbol.asyncDispose]: close,
        });
      },
    }, handle);
  });
}

if (import.meta.main) {
  const arg = (flag: string) => {
    const i = Deno.args.indexOf(flag);
    return i === -1 ? undefined : Deno.args[i + 1];
  };
  let custom: Seed = {};
  const seedPath = arg("--seed");
  if (seedPath) custom = JSON.parse(await Deno.readTextFile(seedPath));
  const emu = await startOtoboEmulator({
    port: Number(arg("--port") ?? 8787),
    hostname: arg("--hostname") ?? defaults.hostname,
    ...(custom.tickets ? { tickets: custom.tickets } : {}),
    ...(custom.users ? { users: custom.users } : {}),
    ...(custom.catalog ? { catalog: custom.catalog } : {}),
    onRequest: (r) =>
      console.log(
        `${r.method} ${r.route} -> ${r.status}${r.operation ? ` ${r.operation}` : ""}${
          r.errorCode ? ` ${r.errorCode}` : ""
        }`,
      ),
  });
  console.log(`OTOBO emulator: ${emu.tickets.size} tickets`);
  console.log(`base_url: ${emu.baseUrl}`);
}
