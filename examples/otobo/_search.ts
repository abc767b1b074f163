/**
 * The emulator's TicketSearch operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Ticket::TicketSearch` and
 * `Kernel::System::Ticket::TicketSearch`.
 *
 * @module
 */
import { type EmulatorUser, may, parseTime, type Store, type StoredTicket } from "./_store.ts";
import { type Data, fail, list, type OperationResult } from "./_data.ts";

/** SortBy names the emulator can sort on, with the value each compares. */
const SORT_KEYS: Record<string, (t: StoredTicket, s: Store) => string | number> = {
  Age: (t) => parseTime(t.Created),
  Created: (t) => parseTime(t.Created),
  Changed: (t) => parseTime(t.Changed),
  Ticket: (t) => t.TicketNumber,
  TicketNumber: (t) => t.TicketNumber,
  Title: (t) => t.Title,
  Queue: (t) => t.Queue,
  State: (t, s) => Object.keys(s.catalog.states).indexOf(t.State),
  Priority: (t, s) => s.catalog.priorities.indexOf(t.Priority),
  Type: (t, s) => s.catalog.types.indexOf(t.Type),
  CustomerID: (t) => t.CustomerID,
  Owner: (t) => t.Owner,
  Lock: (t) => t.Lock,
};

/** State types `StateType: "Open"` stands for (SysConfig `Ticket::ViewableStateType`). */
const OPEN_STATE_TYPES = ["new", "open", "pending reminder", "pending auto"];

/**
 * Runs TicketSearch: `{ TicketID: ["1", "2"] }`, or `{}` when nothing matches.
 *
 * Supported filters: TicketID, TicketNumber, Title (`%`/`*` wildcards), Queues, QueueIDs, States,
 * StateIDs, StateType (`Open`, `Closed` or state type names), Priorities, PriorityIDs, Types,
 * TypeIDs, Locks, CustomerID, CustomerUserLogin, Ticket{Create,LastChange}Time{Newer,Older}{Date,
 * Minutes} and `DynamicField_<Name>: { Equals, Like, Empty }` (an object, so only in a JSON body:
 * a query string cannot carry one, and `GET /Ticket` ignores it). Other parameters are ignored,
 * as OTOBO ignores names it does not know. Ids are strings (`["3", "9"]`), unlike TicketGet's.
 *
 * @param store The data.
 * @param user The authenticated agent, or undefined.
 * @param data The request data.
 * @returns The response data.
 */
export function ticketSearch(
  store: Store,
  user: EmulatorUser | undefined,
  data: Data,
): OperationResult {
  if (!user) return fail("TicketSearch.AuthFail", "TicketSearch: Authorization failing!");
  // GenericInterface::Operation::TicketSearch###SearchLimit defaults to 500.
  const limit = Number(data.Limit) > 0 ? Math.floor(Number(data.Limit)) : 500;
  const sortBy = list(data.SortBy) ?? ["Age"];
  const orderBy = list(data.OrderBy) ?? ["Down"];
  // OTOBO's TicketSearch logs and returns nothing for an unknown SortBy or OrderBy, and the
  // operation then answers an empty result rather than an error.
  if (sortBy.some((s) => !SORT_KEYS[s]) || orderBy.some((o) => o !== "Up" && o !== "Down")) {
    return { status: 200, body: {} };
  }
  const filters = buildFilters(store, data);
  if (!filters) return { status: 200, body: {} };
  const visible = [...store.tickets.values()].filter((t) =>
    may(user, t.Queue, "ro") && filters.every((f) => f(t))
  );
  visible.sort((a, b) => {
    for (const [i, key] of sortBy.entries()) {
      const [x, y] = [SORT_KEYS[key]!(a, store), SORT_KEYS[key]!(b, store)];
      const order = (orderBy[i] ?? orderBy[0]) === "Up" ? 1 : -1;
      if (x < y) return -order;
      if (x > y) return order;
    }
    // The database decides ties; the emulator breaks them by TicketID, ascending.
    return a.TicketID - b.TicketID;
  });
  const ids = visible.slice(0, limit).map((t) => String(t.TicketID));
  return { status: 200, body: ids.length ? { TicketID: ids } : {} };
}

type Filter = (t: StoredTicket) => boolean;

function buildFilters(store: Store, data: Data): Filter[] | undefined {
  const filters: Filter[] = [];
  const ids = (name: string, of: (t: StoredTicket) => number) => {
    const wanted = list(data[name]);
    if (wanted) filters.push((t) => wanted.includes(String(of(t))));
  };
  const names = (name: string, of: (t: StoredTicket) => string) => {
    const wanted = list(data[name]);
    if (wanted) filters.push((t) => wanted.includes(of(t)));
  };
  const like = (name: string, of: (t: StoredTicket) => string) => {
    const patterns = list(data[name])?.map(wildcard);
    if (patterns) filters.push((t) => patterns.some((p) => p.test(of(t))));
  };
  const position = (items: string[], name: string) => items.indexOf(name) + 1;
  ids("TicketID", (t) => t.TicketID);
  like("TicketNumber", (t) => t.TicketNumber);
  like("Title", (t) => t.Title);
  names("Queues", (t) => t.Queue);
  ids("QueueIDs", (t) => position(store.catalog.queues, t.Queue));
  names("States", (t) => t.State);
  ids("StateIDs", (t) => position(Object.keys(store.catalog.states), t.State));
  names("Priorities", (t) => t.Priority);
  ids("PriorityIDs", (t) => position(store.catalog.priorities, t.Priority));
  names("Types", (t) => t.Type);
  ids("TypeIDs", (t) => position(store.catalog.types, t.Type));
  names("Locks", (t) => t.Lock);
  like("CustomerID", (t) => t.CustomerID);
  like("CustomerUserLogin", (t) => t.CustomerUserID);
  const stateTypes = list(data.StateType)?.flatMap((s) =>
    s === "Open" ? OPEN_STATE_TYPES : s === "Closed" ? ["closed"] : [s]
  );
  if (stateTypes) filters.push((t) => stateTypes.includes(store.catalog.states[t.State] ?? ""));
  for (
    const [prefix, of] of [["TicketCreateTime", "Created"], ["TicketLastChangeTime", "Changed"]]
  ) {
    for (const suffix of ["NewerDate", "OlderDate", "NewerMinutes", "OlderMinutes"]) {
      const value = data[`${prefix}${suffix}`];
      if (value === undefined || value === "") continue;
      const bound = suffix.endsWith("Date")
        ? parseTime(String(value))
        : Date.now() - Number(value) * 60_000;
      // OTOBO logs "Invalid time format" and returns no result.
      if (Number.isNaN(bound)) return undefined;
      const newer = suffix.startsWith("Newer");
      filters.push((t) => {
        const time = parseTime(t[of as "Created" | "Changed"]);
        return newer ? time >= bound : time <= bound;
      });
    }
  }
  for (const [key, value] of Object.entries(data)) {
    const match = /^DynamicField_(\w+)$/.exec(key);
    if (match && value && typeof value === "object") {
      filters.push(dynamicFieldFilter(match[1]!, value as Data));
    }
  }
  return filters;
}

function dynamicFieldFilter(name: string, ops: Data): Filter {
  return (t) => {
    const raw = t.DynamicField[name];
    const values = (Array.isArray(raw) ? raw : raw == null || raw === "" ? [] : [raw]).map(String);
    if (ops.Empty !== undefined && (values.length === 0) !== Boolean(Number(ops.Empty))) {
      return false;
    }
    const equals = list(ops.Equals);
    if (equals && !values.some((v) => equals.includes(v))) return false;
    const like = list(ops.Like)?.map(wildcard);
    if (like && !values.some((v) => like.some((p) => p.test(v)))) return false;
    return true;
  };
}

/** SQL-style `%` and OTOBO's `*` wildcards, case-insensitive like MySQL's default collation. */
function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/[%*]/g, ".*");
  return new RegExp(`^${source}$`, "is");
}
