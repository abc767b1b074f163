/**
 * The emulator's REST transport details: the web service's routes and the way OTOBO's
 * `Kernel::GenericInterface::Transport::HTTP::REST` reads a request.
 *
 * @module
 */
import type { Data } from "./_data.ts";

/**
 * The path every GenericInterface web service sits below: `/otobo/...` for OTOBO, `/otrs/...`
 * for Znuny (and OTRS).
 *
 * @param product Which product.
 * @returns The path, ending in `/Webservice/`.
 */
export function prefixOf(product: "otobo" | "znuny"): string {
  return `/${product === "znuny" ? "otrs" : "otobo"}/nph-genericinterface.pl/Webservice/`;
}

/** One entry of the web service's RouteOperationMapping. */
export interface Route {
  /** The operation's name in the web service. */
  operation: string;
  /** The operation type it runs, e.g. `TicketGet` for TicketGetList. */
  type: string;
  /** The request methods it accepts. */
  methods: string[];
  /** The route as a regular expression, `:params` as named groups. */
  pattern: RegExp;
}

/** `development/webservices/GenericTicketConnectorREST.yml`: operation, type, methods, route. */
const STOCK: [string, string, string[], string][] = [
  ["SessionCreate", "SessionCreate", ["POST"], "/Session"],
  ["SessionGet", "SessionGet", ["GET"], "/Session/:SessionID"],
  ["TicketCreate", "TicketCreate", ["POST"], "/Ticket"],
  ["TicketGet", "TicketGet", ["GET"], "/Ticket/:TicketID"],
  ["TicketGetList", "TicketGet", ["GET"], "/TicketList"],
  ["TicketHistoryGet", "TicketHistoryGet", ["GET"], "/TicketHistory/:TicketID"],
  ["TicketSearch", "TicketSearch", ["GET"], "/Ticket"],
  ["TicketUpdate", "TicketUpdate", ["PATCH"], "/Ticket/:TicketID"],
];

/** The route an admin adds so search criteria travel in a body (see the plugin's README). */
const POST_SEARCH: [string, string, string[], string] = [
  "TicketSearchPOST",
  "TicketSearch",
  ["POST"],
  "/TicketSearch",
];

/**
 * The web service's RouteOperationMapping, sorted by operation name as OTOBO tries it.
 *
 * @param options `postSearch` adds `POST /TicketSearch` to the stock routes.
 * @returns The routes.
 */
export function routesOf(options: { postSearch?: boolean | undefined } = {}): Route[] {
  const entries = options.postSearch ? [...STOCK, POST_SEARCH] : STOCK;
  return entries
    .map(([operation, type, methods, route]) => ({
      operation,
      type,
      methods,
      pattern: new RegExp(`^${route.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`),
    }))
    .sort((a, b) => (a.operation < b.operation ? -1 : 1));
}

/**
 * Finds the operation for a request the way OTOBO does: the first route, in sorted order,
 * whose methods and pattern match.
 *
 * @param routes The RouteOperationMapping.
 * @param method The HTTP method.
 * @param route The path below the web service.
 * @returns The route and its `:params`, or undefined.
 */
export function matchRoute(
  routes: Route[],
  method: string,
  route: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const r of routes) {
    if (!r.methods.includes(method)) continue;
    const m = r.pattern.exec(route);
    if (m) return { route: r, params: { ...m.groups } };
  }
  return undefined;
}

/**
 * Reads query parameters the way the REST transport does: `+` is a space, `;` separates like
 * `&`, a repeated key becomes a list, and a first value that Perl finds false (`""`, `"0"`)
 * becomes `""` (`$QueryParams{$Key} = $Value || ''`).
 *
 * @param search The query string.
 * @returns The parameters.
 */
export function queryParams(search: string): Data {
  const out: Data = {};
  for (const pair of search.replace(/^\?/, "").split(/[;&]/)) {
    if (!pair) continue;
    const [rawKey = "", rawValue = ""] = pair.split("=");
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, "%20"));
    const [key, value] = [decode(rawKey), decode(rawValue)];
    const prev = out[key];
    out[key] = prev === undefined
      ? (value === "0" ? "" : value)
      : Array.isArray(prev)
      ? [...prev, value]
      : [prev, value];
  }
  return out;
}
