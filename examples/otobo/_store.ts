/**
 * The emulator's data: tickets with their articles, the catalog, and the agents who may log in.
 * Field names follow OTOBO's own (`Kernel::System::Ticket::TicketGet`, `ArticleGet`) so the store
 * reads like the database.
 *
 * @module
 */
import { type Catalog, createCatalog, type SeedCatalog } from "./_catalog.ts";

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
  /** Time accounted with it (`TimeUnit`), 0 when none. */
  TimeUnit?: number;
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
  /** When a pending state ends (`YYYY-MM-DD HH:MM:SS`, UTC), or `""`. */
  PendingTime?: string;
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

/**
 * An agent who may log in. Without `queues` or `permissions` they have `rw` on every queue;
 * `queues` gives `rw` on those queues only; `permissions` names the permission types per queue
 * (`ro`, `move_into`, `create`, `note`, `owner`, `priority`, `rw`; `rw` implies all).
 */
export interface EmulatorUser {
  /** The login. */
  login: string;
  /** The password. */
  password: string;
  /** Shown as the `From` of articles they write. */
  full_name?: string;
  /** The only queues they have `rw` on. */
  queues?: string[];
  /** Permission types by queue, e.g. `{ Billing: ["ro", "note"] }`. */
  permissions?: Record<string, string[]>;
}

/** Seed data as `seed.json` holds it. */
export interface Seed {
  /** Agents. */
  users?: EmulatorUser[];
  /** Extra catalog entries, merged into OTOBO's defaults. */
  catalog?: SeedCatalog;
  /** Tickets. */
  tickets?: SeedTicket[];
}

/** An agent notification an article triggered (`ArticleCreate` without `NoAgentNotify`). */
export interface Notification {
  /** The ticket. */
  TicketID: number;
  /** The article. */
  ArticleID: number;
}

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
  /** Agent notifications sent, oldest first. */
  notifications: Notification[];
  /** Which product it behaves like: Znuny takes only whole-number ids and `rw` for notes. */
  product: "otobo" | "znuny";
  /** SysConfig `Ticket::Frontend::NeedAccountedTime` (with `AccountTime`): notes need a TimeUnit. */
  needAccountedTime: boolean;
}

/**
 * Builds a store from seed data; catalog names used by the tickets are added to the catalog
 * (a dynamic field a ticket uses and the catalog lacks becomes a Text field).
 *
 * @param seed Tickets, users and catalog entries.
 * @param product Which product it behaves like.
 * @returns The store.
 * @throws {TypeError} When two tickets share a TicketID.
 */
export function createStore(seed: Seed, product: Store["product"] = "otobo"): Store {
  const catalog = createCatalog(seed.catalog);
  const tickets = new Map<number, StoredTicket>();
  const store: Store = {
    tickets,
    catalog,
    users: new Map((seed.users ?? []).map((u) => [u.login, u])),
    nextArticleId: 1,
    notifications: [],
    product,
    needAccountedTime: false,
  };
  const now = formatTime(new Date());
  for (const t of seed.tickets ?? []) {
    if (tickets.has(t.TicketID)) throw new TypeError(`Seed has two tickets ${t.TicketID}`);
    const ticket = seedTicket(t, now);
    for (const a of t.Articles ?? []) ticket.Articles.push(seedArticle(store, ticket, a));
    addName(catalog.queues, ticket.Queue);
    addName(catalog.priorities, ticket.Priority);
    addName(catalog.types, ticket.Type);
    catalog.states[ticket.State] ??= "open";
    for (const name of Object.keys(ticket.DynamicField)) {
      if (!catalog.dynamic_fields.some((f) => f.name === name)) {
        catalog.dynamic_fields.push({ name, type: "Text", object_type: "Ticket" });
      }
    }
    tickets.set(ticket.TicketID, ticket);
  }
  return store;
}

function seedTicket(t: SeedTicket, now: string): StoredTicket {
  const created = t.Created ?? now;
  return {
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
    PendingTime: t.PendingTime ?? "",
    DynamicField: { ...t.DynamicField },
    Articles: [],
  };
}

function seedArticle(store: Store, ticket: StoredTicket, a: Partial<StoredArticle>) {
  return {
    ArticleID: store.nextArticleId++,
    ArticleNumber: ticket.Articles.length + 1,
    SenderType: a.SenderType ?? "customer",
    CommunicationChannel: a.CommunicationChannel ?? "Email",
    IsVisibleForCustomer: a.IsVisibleForCustomer ?? 1,
    From: a.From ?? ticket.CustomerUserID,
    To: a.To ?? ticket.Queue,
    Subject: a.Subject ?? ticket.Title,
    Body: a.Body ?? "",
    ContentType: a.ContentType ?? "text/plain; charset=utf-8",
    CreateTime: a.CreateTime ?? ticket.Created,
    TimeUnit: a.TimeUnit ?? 0,
    ...(a.DynamicField ? { DynamicField: a.DynamicField } : {}),
  };
}

function addName(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

/**
 * Whether an agent holds a permission type on a queue (`Kernel::System::Ticket::TicketPermission`
 * by group): `rw` implies every type.
 *
 * @param user The agent.
 * @param queue The queue name.
 * @param type The permission type, e.g. `ro`, `note`, `move_into`, `rw`.
 * @returns True when they hold it.
 */
export function may(user: EmulatorUser, queue: string, type: string): boolean {
  if (user.permissions) {
    const types = user.permissions[queue] ?? [];
    return types.includes("rw") || types.includes(type);
  }
  return !user.queues || user.queues.includes(queue);
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
