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
  type Store,
  type StoredTicket,
} from "./_store.ts";
import { createHandler, type Operate, type RequestRecord } from "./_handler.ts";
import { PREFIX } from "./_http.ts";
import { ticketSearch } from "./_search.ts";
import { Sessions } from "./_session.ts";
import { ticketGet } from "./_get.ts";
import { ticketUpdate } from "./_update.ts";

export type { Catalog, EmulatorUser, RequestRecord, SeedTicket, StoredTicket };
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
  const operate = operations(store, new Sessions(store, o.sessionTtlMs));
  const { handle, log } = createHandler(operate, o);
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

/** Runs the operation a request reaches on the store, authenticating it by its sessions. */
function operations(store: Store, sessions: Sessions): Operate {
  const authenticate = sessions.authenticate.bind(sessions);
  return (operation, data) => {
    switch (operation) {
      case "SessionCreate":
        return sessions.create(data);
      case "TicketGet":
      case "TicketGetList":
        return ticketGet(store, authenticate(data), data);
      case "TicketSearch":
      case "TicketSearchGet":
        return ticketSearch(store, authenticate(data), data);
      default:
        return ticketUpdate(store, () => authenticate(data), data);
    }
  };
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
