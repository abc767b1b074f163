/**
 * The emulator's data: tickets with their articles, the catalog of queues, states, priorities,
 * types and dynamic fields, and the agents who may log in. Field names follow OTOBO's own
 * (`Kernel::System::Ticket::TicketGet`, `ArticleGet`) so the store reads like the database.
 *
 * @module
 */

/** An article as the emulator keeps it. */
export interface StoredArticle {
  /** Unique over all tickets. */
  ArticleID: number;
  /** Position within its ticket, from 1. */
  ArticleNumber: number;
  /** `customer`, `agent` or `system`. */
  SenderType: string;
  /** `Email`, `Phone`, `Internal` or `Chat`. */
  CommunicationChannel: string;
  /** 1 when the customer sees it; 0 for an internal note. */
  IsVisibleForCustomer: 0 | 1;
  /** The sender, e.g. `"Jane Roe" <jane@example.com>`. */
  From: string;
  /** The recipient. */
  To: string;
  /** The subject line. */
  Subject: string;
  /** The text. */
  Body: string;
  /** E.g. `text/plain; charset=utf-8`. */
  ContentType: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  CreateTime: string;
  /** Dynamic field values of the article, by field name. */
  DynamicField?: Record<string, unknown>;
}

/** A ticket as the emulator keeps it; tests inspect and change these directly. */
export interface StoredTicket {
  /** The database id. */
  TicketID: number;
  /** The human-facing number. */
  TicketNumber: string;
  /** The subject line. */
  Title: string;
  /** The queue name. */
  Queue: string;
  /** The state name. */
  State: string;
  /** The priority name. */
  Priority: string;
  /** The type name. */
  Type: string;
  /** The customer user's login. */
  CustomerUserID: string;
  /** The customer company. */
  CustomerID: string;
  /** The owner's login. */
  Owner: string;
  /** `lock` or `unlock`. */
  Lock: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  Created: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC; moves on every change. */
  Changed: string;
  /** Dynamic field values, by field name (absent or null when unset). */
  DynamicField: Record<string, unknown>;
  /** The articles, oldest first. */
  Articles: StoredArticle[];
}

/** A ticket in seed data: like {@linkcode StoredTicket}, with defaults for most fields. */
export type SeedTicket =
  & Pick<StoredTicket, "TicketID" | "Title">
  & Partial<Omit<StoredTicket, "TicketID" | "Title" | "Articles">>
  & { Articles?: Partial<StoredArticle>[] };

/** An agent who may log in; `queues` limits what they may see (all when absent). */
export interface EmulatorUser {
  /** The login. */
  login: string;
  /** The password. */
  password: string;
  /** Shown as the `From` of articles they write. */
  full_name?: string;
  /** The only queues they have `ro`/`rw` on; all when absent. */
  queues?: string[];
}

/** The names OTOBO validates ticket attributes against. */
export interface Catalog {
  /** Queue names; the QueueID is the position from 1. */
  queues: string[];
  /** State name to state type (`new`, `open`, `closed`, `pending reminder`, ...). */
  states: Record<string, string>;
  /** Priority names; the PriorityID is the position from 1. */
  priorities: string[];
  /** Ticket type names; the TypeID is the position from 1. */
  types: string[];
  /** Valid ticket dynamic field names. */
  dynamic_fields: string[];
}

/** Seed data as `seed.json` holds it. */
export interface Seed {
  /** Agents. */
  users?: EmulatorUser[];
  /** Extra catalog entries, merged into OTOBO's defaults. */
  catalog?: Partial<Catalog>;
  /** Tickets. */
  tickets?: SeedTicket[];
}

/** What a fresh OTOBO installation ships (scripts/database/otobo-initial_insert). */
const DEFAULT_CATALOG = {
  queues: ["Postmaster", "Raw", "Junk", "Misc"],
  states: {
    "new": "new",
    "open": "open",
    "closed successful": "closed",
    "closed unsuccessful": "closed",
    "removed": "removed",
    "pending reminder": "pending reminder",
    "pending auto close+": "pending auto",
    "pending auto close-": "pending auto",
    "merged": "merged",
  },
  priorities: ["1 very low", "2 low", "3 normal", "4 high", "5 very high"],
  types: ["Unclassified"],
  dynamic_fields: [],
} satisfies Catalog;

/** The channels OTOBO registers (Kernel::System::CommunicationChannel). */
export const CHANNELS: readonly string[] = ["Email", "Phone", "Internal", "Chat"];

/** The store a running emulator serves. */
export interface Store {
  /** Tickets by TicketID. */
  tickets: Map<number, StoredTicket>;
  /** Valid names. */
  catalog: Catalog;
  /** Agents by login. */
  users: Map<string, EmulatorUser>;
  /** The next ArticleID to hand out. */
  nextArticleId: number;
}

/**
 * Builds a store from seed data; catalog names used by the tickets are added to the catalog.
 *
 * @param seed Tickets, users and catalog entries.
 * @returns The store.
 * @throws {TypeError} When two tickets share a TicketID.
 */
export function createStore(seed: Seed): Store {
  const catalog: Catalog = {
    queues: [...new Set([...DEFAULT_CATALOG.queues, ...(seed.catalog?.queues ?? [])])],
    states: { ...DEFAULT_CATALOG.states, ...seed.catalog?.states },
    priorities: [
      ...new Set([...DEFAULT_CATALOG.priorities, ...(seed.catalog?.priorities ?? [])]),
    ],
    types: [...new Set([...DEFAULT_CATALOG.types, ...(seed.catalog?.types ?? [])])],
    dynamic_fields: [...new Set(seed.catalog?.dynamic_fields ?? [])],
  };
  const tickets = new Map<number, StoredTicket>();
  let nextArticleId = 1;
  const now = formatTime(new Date());
  for (const t of seed.tickets ?? []) {
    if (tickets.has(t.TicketID)) throw new TypeError(`Seed has two tickets ${t.TicketID}`);
    const created = t.Created ?? now;
    const ticket: StoredTicket = {
      TicketID: t.TicketID,
      TicketNumber: t.TicketNumber ?? `${created.slice(0, 10).replaceAll("-", "")}${t.TicketID}`,
      Title: t.Title,
      Queue: t.Queue ?? "Raw",
      State: t.State ?? "new",
      Priority: t.Priority ?? "3 normal",
      Type: t.Type ?? "Unclassified",
      CustomerUserID: t.CustomerUserID ?? "",
      CustomerID: t.CustomerID ?? "",
      Owner: t.Owner ?? "root@localhost",
      Lock: t.Lock ?? "unlock",
      Created: created,
      Changed: t.Changed ?? created,
      DynamicField: { ...t.DynamicField },
      Articles: [],
    };
    for (const a of t.Articles ?? []) {
      ticket.Articles.push({
        ArticleID: nextArticleId++,
        ArticleNumber: ticket.Articles.length + 1,
        SenderType: a.SenderType ?? "customer",
        CommunicationChannel: a.CommunicationChannel ?? "Email",
        IsVisibleForCustomer: a.IsVisibleForCustomer ?? 1,
        From: a.From ?? ticket.CustomerUserID,
        To: a.To ?? ticket.Queue,
        Subject: a.Subject ?? ticket.Title,
        Body: a.Body ?? "",
        ContentType: a.ContentType ?? "text/plain; charset=utf-8",
        CreateTime: a.CreateTime ?? created,
        ...(a.DynamicField ? { DynamicField: a.DynamicField } : {}),
      });
    }
    addName(catalog.queues, ticket.Queue);
    addName(catalog.priorities, ticket.Priority);
    addName(catalog.types, ticket.Type);
    catalog.states[ticket.State] ??= "open";
    for (const name of Object.keys(ticket.DynamicField)) addName(catalog.dynamic_fields, name);
    tickets.set(ticket.TicketID, ticket);
  }
  const users = new Map((seed.users ?? []).map((u) => [u.login, u]));
  return { tickets, catalog, users, nextArticleId };
}

function addName(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

/**
 * Formats a time the way OTOBO's GenericInterface does: `YYYY-MM-DD HH:MM:SS`, here in UTC
 * (OTOBO uses its `OTOBOTimeZone`, UTC by default).
 *
 * @param date The time.
 * @returns The text.
 */
export function formatTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Parses an OTOBO time (`YYYY-MM-DD HH:MM:SS`, UTC) to epoch milliseconds.
 *
 * @param text The text.
 * @returns Milliseconds, or NaN when it is not a time.
 */
export function parseTime(text: string): number {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? Date.parse(`${text.replace(" ", "T")}Z`)
    : NaN;
}
