/**
 * The emulator's TicketGet operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Ticket::TicketGet`.
 *
 * Ids are JSON numbers here (`"TicketID": 7`), as a real OTOBO 11 answers TicketGet, while
 * TicketSearch answers strings (`"TicketID": ["7"]`): a client must accept both.
 *
 * @module
 */
import { CHANNELS } from "./_catalog.ts";
import {
  type EmulatorUser,
  may,
  parseTime,
  type Store,
  type StoredArticle,
  type StoredTicket,
} from "./_store.ts";
import { type Data, fail, list, type OperationResult, ticketIdOf } from "./_data.ts";

/**
 * Runs TicketGet for one or more ids (`"1,2,3"` or an array), with `AllArticles`,
 * `DynamicFields`, `ArticleOrder`, `ArticleLimit` and `ArticleSenderType`.
 *
 * @param store The data.
 * @param user The authenticated agent, or undefined.
 * @param data The request data.
 * @returns `{ Ticket: [...] }` or an error.
 */
export function ticketGet(
  store: Store,
  user: EmulatorUser | undefined,
  data: Data,
): OperationResult {
  if (!user) return fail("TicketGet.AuthFail", "TicketGet: Authorization failing!");
  if (!data.TicketID) {
    return fail("TicketGet.MissingParameter", "TicketGet: TicketID parameter is missing!");
  }
  const ids = typeof data.TicketID === "string"
    ? data.TicketID.split(",")
    : Array.isArray(data.TicketID)
    ? data.TicketID.map(String)
    : typeof data.TicketID === "number"
    ? [String(data.TicketID)]
    : undefined;
  if (!ids?.length) {
    return fail("TicketGet.WrongStructure", "TicketGet: Structure for TicketID is not correct!");
  }
  const tickets: StoredTicket[] = [];
  for (const id of ids) {
    // OTOBO checks `ro` permission first; a ticket that does not exist fails that check too,
    // so an unknown id answers AccessDenied, not NotValidTicketID.
    const ticket = store.tickets.get(ticketIdOf(id, store.product));
    if (!ticket || !may(user, ticket.Queue, "ro")) {
      return fail("TicketGet.AccessDenied", "TicketGet: User does not have access to the ticket!");
    }
    tickets.push(ticket);
  }
  const options = {
    dynamicFields: truthy(data.DynamicFields),
    allArticles: truthy(data.AllArticles),
    order: data.ArticleOrder === "DESC" ? "DESC" : "ASC",
    limit: Number(data.ArticleLimit) > 0 ? Math.floor(Number(data.ArticleLimit)) : 0,
    senderTypes: list(data.ArticleSenderType),
  };
  return {
    status: 200,
    body: { Ticket: tickets.map((t) => serializeTicket(store, t, options)) },
  };
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && value !== "0" && value !== 0;
}

interface SerializeOptions {
  dynamicFields: boolean;
  allArticles: boolean;
  order: string;
  limit: number;
  senderTypes: string[] | undefined;
}

function serializeTicket(
  store: Store,
  t: StoredTicket,
  options: SerializeOptions,
): Record<string, unknown> {
  const out = ticketFields(store, t);
  if (options.dynamicFields) {
    // TicketGet lists every valid ticket dynamic field; unset ones have a null Value.
    out.DynamicField = store.catalog.dynamic_fields
      .filter((f) => f.object_type !== "Article")
      .map(({ name }) => ({ Name: name, Value: t.DynamicField[name] ?? null }));
  }
  if (!options.allArticles) return out;
  let articles = t.Articles.filter((a) =>
    !options.senderTypes || options.senderTypes.includes(a.SenderType)
  );
  if (options.order === "DESC") articles = articles.toReversed();
  if (options.limit) articles = articles.slice(0, options.limit);
  // Like OTOBO, the Article key is left out when there are no articles.
  if (articles.length) out.Article = articles.map((a) => serializeArticle(t, a, options));
  return out;
}

/** The fields TicketGet always sends, ids of catalog names being their position from 1. */
function ticketFields(store: Store, t: StoredTicket): Record<string, unknown> {
  const id = (items: string[], name: string) => items.indexOf(name) + 1;
  const until = t.PendingTime
    ? Math.max(0, Math.floor((parseTime(t.PendingTime) - Date.now()) / 1000))
    : 0;
  return {
    TicketID: t.TicketID,
    TicketNumber: t.TicketNumber,
    Title: t.Title,
    Queue: t.Queue,
    QueueID: id(store.catalog.queues, t.Queue),
    State: t.State,
    StateID: id(Object.keys(store.catalog.states), t.State),
    StateType: store.catalog.states[t.State] ?? "open",
    Priority: t.Priority,
    PriorityID: id(store.catalog.priorities, t.Priority),
    Type: t.Type,
    TypeID: id(store.catalog.types, t.Type),
    Lock: t.Lock,
    LockID: t.Lock === "lock" ? 2 : 1,
    CustomerID: t.CustomerID,
    CustomerUserID: t.CustomerUserID,
    Owner: t.Owner,
    OwnerID: 1,
    Responsible: t.Owner,
    ResponsibleID: 1,
    Service: "",
    ServiceID: "",
    SLA: "",
    SLAID: "",
    ArchiveFlag: "n",
    Age: Math.max(0, Math.floor((Date.now() - parseTime(t.Created)) / 1000)),
    Created: t.Created,
    CreateBy: 1,
    Changed: t.Changed,
    ChangeBy: 1,
    RealTillTimeNotUsed: t.PendingTime ? Math.floor(parseTime(t.PendingTime) / 1000) : 0,
    UnlockTimeout: 0,
    UntilTime: until,
    EscalationTime: 0,
    EscalationResponseTime: 0,
    EscalationUpdateTime: 0,
    EscalationSolutionTime: 0,
    TimeUnit: t.Articles.reduce((sum, a) => sum + (a.TimeUnit ?? 0), 0),
  };
}

function serializeArticle(
  t: StoredTicket,
  a: StoredArticle,
  options: SerializeOptions,
): Record<string, unknown> {
  const [mimeType, charset] = splitContentType(a.ContentType);
  const out: Record<string, unknown> = {
    ArticleID: a.ArticleID,
    ArticleNumber: a.ArticleNumber,
    TicketID: t.TicketID,
    From: a.From,
    To: a.To,
    Cc: "",
    Bcc: "",
    ReplyTo: "",
    Subject: a.Subject,
    Body: a.Body,
    ContentType: a.ContentType,
    MimeType: mimeType,
    Charset: charset,
    MessageID: "",
    InReplyTo: "",
    References: "",
    SenderType: a.SenderType,
    SenderTypeID: ["agent", "system", "customer"].indexOf(a.SenderType) + 1,
    CommunicationChannelID: CHANNELS.indexOf(a.CommunicationChannel) + 1,
    IsVisibleForCustomer: a.IsVisibleForCustomer,
    CreateTime: a.CreateTime,
    ChangeTime: a.CreateTime,
    IncomingTime: Math.floor(parseTime(a.CreateTime) / 1000),
    CreateBy: 1,
    ChangeBy: 1,
    TimeUnit: a.TimeUnit ?? 0,
  };
  if (options.dynamicFields && a.DynamicField) {
    out.DynamicField = Object.entries(a.DynamicField).map(([Name, Value]) => ({ Name, Value }));
  }
  return out;
}

/** `text/plain; charset=utf-8` to `["text/plain", "utf-8"]`. */
export function splitContentType(contentType: string): [string, string] {
  const [mime = "", ...rest] = contentType.split(";").map((s) => s.trim());
  const charset = rest.find((p) => /^charset=/i.test(p))?.replace(/^charset=["']?|["']$/gi, "");
  return [mime.toLowerCase(), (charset ?? "utf-8").toLowerCase()];
}
