/**
 * The emulator's REST transport details: the web service's routes and the way OTOBO's
 * `Kernel::GenericInterface::Transport::HTTP::REST` reads a request.
 *
 * @module
 */
import type { Data } from "./_data.ts";

/** The path every GenericInterface web service sits below. */
export const PREFIX = "/otobo/nph-genericinterface.pl/Webservice/";

/** One entry of the web service's RouteOperationMapping. */
interface Route {
  operation: string;
  methods: string[];
  pattern: RegExp;
}

/** The web service's RouteOperationMapping, in the sorted order OTOBO tries it. */
const ROUTES: Route[] = [
  ["SessionCreate", ["POST"], "/Session"],
  ["TicketGet", ["GET"], "/Ticket/:TicketID"],
  ["TicketGetList", ["GET"], "/TicketList"],
  ["TicketSearch", ["GET", "POST"], "/TicketSearch"],
  ["TicketSearchGet", ["GET"], "/Ticket"],
  ["TicketUpdate", ["PATCH", "POST"], "/Ticket/:TicketID"],
].map(([operation, methods, route]) => ({
  operation: operation as string,
  methods: methods as string[],
  pattern: new RegExp(`^${(route as string).replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`),
}));

/**
 * Finds the operation for a request the way OTOBO does: the first route, in the mapping's sorted
 * order, whose pattern and methods match.
 *
 * @param method The HTTP method.
 * @param route The path below the web service.
 * @returns The operation and the route's `:params`, or undefined.
 */
export function matchRoute(
  method: string,
  route: string,
): { operation: string; params: Record<string, string> } | undefined {
  for (const r of ROUTES) {
    const m = r.pattern.exec(route);
    if (m && r.methods.includes(method)) return { operation: r.operation, params: { ...m.groups } };
  }
  return undefined;
}

/**
 * Reads query parameters the way the REST transport does: `+` is a space, `;` separates like
 * `&`, and a repeated key becomes a list.
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
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
