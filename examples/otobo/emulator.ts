/**
 * An emulator of OTOBO's (and, with `product: "znuny"`, Znuny's) GenericInterface web service
 * `GenericTicketConnectorREST`, for trying otai and testing the `otobo-znuny` plugin without a
 * help desk. It follows the REST transport (`Kernel::GenericInterface::Transport::HTTP::REST`)
 * and the Session and Ticket operations of OTOBO's source, with the stock web service's routes
 * (`development/webservices/GenericTicketConnectorREST.yml`):
 *
 * | operation     | method | route (below `/otobo/nph-genericinterface.pl/Webservice/<Name>`) |
 * | ------------- | ------ | ---------------------------------------------------------------- |
 * | SessionCreate | POST   | `/Session`                                                       |
 * | TicketGet     | GET    | `/Ticket/:TicketID` (`1,2,3` gets several)                       |
 * | TicketGetList | GET    | `/TicketList?TicketID=1&TicketID=2`                              |
 * | TicketSearch  | GET    | `/Ticket` (`postSearch` adds `POST /TicketSearch`)               |
 * | TicketUpdate  | PATCH  | `/Ticket/:TicketID`                                              |
 *
 * Like OTOBO: query parameters and the route's `:params` are written over the JSON body's keys
 * (GET has no body); an operation's error is HTTP 200 with `{ "Error": { "ErrorCode",
 * "ErrorMessage" } }`, an operation that fails inside is HTTP 500 with `{ faultcode,
 * faultstring }`, an unknown route is HTTP 500 text; TicketUpdate writes field by field and
 * stops at the first failure; a session dies `sessionTtlMs` after SessionCreate whatever the
 * activity. `faults` injects HTTP 500s, slow answers and dropped connections.
 *
 * Run it: `deno run --allow-net --allow-read=examples/otobo examples/otobo/emulator.ts
 * [--port 8787] [--znuny] [--post-search] [--seed other.json]`.
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
import type { Catalog, DynamicFieldConfig, SeedCatalog } from "./_catalog.ts";
import { fault } from "./_data.ts";
import { type FaultOptions, FaultPlan } from "./_faults.ts";
import { createHandler, type DebugEntry, type Operate, type RequestRecord } from "./_handler.ts";
import { prefixOf, routesOf } from "./_http.ts";
import { ticketSearch } from "./_search.ts";
import { Sessions } from "./_session.ts";
import {
  createStore,
  type EmulatorUser,
  type Notification,
  type Seed,
  type SeedTicket,
  type Store,
  type StoredTicket,
} from "./_store.ts";
import { ticketGet } from "./_get.ts";
import { ticketUpdate } from "./_update.ts";

export type {
  Catalog,
  DebugEntry,
  DynamicFieldConfig,
  EmulatorUser,
  FaultOptions,
  Notification,
  RequestRecord,
  SeedCatalog,
  SeedTicket,
  StoredTicket,
};
export type { StoredArticle } from "./_store.ts";

/** Options for {@linkcode startOtoboEmulator}. */
export interface OtoboEmulatorOptions {
  /** The port; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on; default `127.0.0.1`. */
  hostname?: string;
  /** `znuny`: the `/otrs/` path, whole-number ids only, `rw` needed for notes. */
  product?: "otobo" | "znuny";
  /** The tickets; default the ones in `seed.json`. */
  tickets?: SeedTicket[];
  /** Agents who may log in; default the ones in `seed.json`. */
  users?: EmulatorUser[];
  /** Extra queues, states, priorities, types and dynamic fields; default `seed.json`'s. */
  catalog?: SeedCatalog;
  /** How long a session lives after SessionCreate; default 2 h (`SessionMaxIdleTime`). */
  sessionTtlMs?: number;
  /** The clock sessions are checked against; default `Date.now`. */
  now?: () => number;
  /** The web service name in the URL; default `GenericTicketConnectorREST`. */
  webservice?: string;
  /** Add the route `POST /TicketSearch` (TicketSearch) to the stock ones. */
  postSearch?: boolean;
  /** SysConfig NeedAccountedTime: a note without `TimeUnit` is refused. */
  needAccountedTime?: boolean;
  /** The debugger's `DebugThreshold`; the stock web service's is `debug`. */
  debugThreshold?: "debug" | "error";
  /** Faults to inject; change them later with `emulator.faults`. */
  faults?: FaultOptions;
  /** Answer every Nth request with HTTP 500 and a fault, before it reaches its operation. */
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
  /** What the debugger stored (`DebugThreshold: debug` keeps request data, passwords too). */
  debugger: readonly DebugEntry[];
  /** Agent notifications articles triggered. */
  notifications: readonly Notification[];
  /** The faults injected from now on; undefined for none. */
  faults: FaultOptions | undefined;
  /** Stops listening and waits for open requests. */
  close(): Promise<void>;
}

const defaults = {
  hostname: "127.0.0.1",
  port: 0,
  sessionTtlMs: 2 * 60 * 60 * 1000,
  webservice: "GenericTicketConnectorREST",
} satisfies OtoboEmulatorOptions;

/**
 * Starts the emulator on `Deno.serve`.
 *
 * @param options Port, product, seed data, users, session lifetime, routes, faults.
 * @returns The running emulator; `close()` it (or `await using` it).
 */
export function startOtoboEmulator(options: OtoboEmulatorOptions = {}): Promise<OtoboEmulator> {
  const o = { ...defaults, ...options };
  const base = structuredClone(seed) as Seed;
  const store = createStore({
    users: options.users ?? base.users ?? [],
    catalog: options.catalog ?? base.catalog ?? {},
    tickets: structuredClone(options.tickets ?? base.tickets ?? []),
  }, o.product ?? "otobo");
  store.needAccountedTime = o.needAccountedTime ?? false;
  const sessions = new Sessions(store, { ttlMs: o.sessionTtlMs, now: o.now ?? Date.now });
  let plan = o.faults && new FaultPlan(o.faults);
  let faults = o.faults;
  const prefix = prefixOf(o.product ?? "otobo");
  const { handle, log, debug, wake } = createHandler(operations(store, sessions), {
    prefix,
    webservice: o.webservice,
    routes: routesOf({ postSearch: o.postSearch }),
    failEveryNth: o.failEveryNth,
    faults: () => plan,
    debugThreshold: o.debugThreshold ?? "debug",
    onRequest: o.onRequest,
  });
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: o.hostname,
      port: o.port,
      onListen({ port }) {
        const url = `http://${o.hostname}:${port}`;
        const close = () => {
          wake();
          return server.shutdown();
        };
        resolve({
          url,
          baseUrl: `${url}${prefix}${encodeURIComponent(o.webservice)}`,
          tickets: store.tickets,
          requests: {
            get count() {
              return log.length;
            },
            log,
          },
          debugger: debug,
          notifications: store.notifications,
          get faults() {
            return faults;
          },
          set faults(next: FaultOptions | undefined) {
            faults = next;
            plan = next && new FaultPlan(next);
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
  return (type, data, stopAfter) => {
    switch (type) {
      case "SessionCreate":
        return sessions.create(data);
      case "TicketGet":
        return ticketGet(store, authenticate(data), data);
      case "TicketSearch":
        return ticketSearch(store, authenticate(data), data);
      case "TicketUpdate":
        return ticketUpdate(store, () => authenticate(data), data, stopAfter);
      default:
        return fault(`${type} is not emulated`);
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
    product: Deno.args.includes("--znuny") ? "znuny" : "otobo",
    postSearch: Deno.args.includes("--post-search"),
    hostname: arg("--hostname") ?? defaults.hostname,
    ...(custom.tickets ? { tickets: custom.tickets } : {}),
    ...(custom.users ? { users: custom.users } : {}),
    ...(custom.catalog ? { catalog: custom.catalog } : {}),
    onRequest: (r) =>
      console.log(
        `${r.method} ${r.route} -> ${r.status}${r.operation ? ` ${r.operation}` : ""}${
          r.errorCode ? ` ${r.errorCode}` : ""
        }${r.fault ? ` (${r.fault})` : ""}`,
      ),
  });
  console.log(`OTOBO emulator: ${emu.tickets.size} tickets`);
  console.log(`base_url: ${emu.baseUrl}`);
}
