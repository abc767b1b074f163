/**
 * Pure mapping between otai's unified ticket model and OTOBO's GenericInterface data.
 *
 * @module
 */
import type { Ticket, TicketChanges, TicketNote, TicketSearch } from "@otai/cli/plugin";
import type { Data } from "./_transport.ts";

/**
 * An OTOBO time (`YYYY-MM-DD HH:MM:SS`, in the system's `OTOBOTimeZone`, UTC by default) as
 * ISO 8601.
 *
 * @param text The OTOBO time.
 * @returns ISO 8601 in UTC, or the text unchanged when it is not an OTOBO time.
 */
export function toIsoTime(text: unknown): string {
  const s = String(text ?? "");
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s)
    ? new Date(`${s.replace(" ", "T")}Z`).toISOString()
    : s;
}

/**
 * An ISO 8601 time as OTOBO takes it in TicketSearch: `YYYY-MM-DD HH:MM:SS`, UTC, whole seconds
 * (rounded down, so a search "since" never misses the second it starts in).
 *
 * @param iso The time.
 * @returns The OTOBO time.
 * @throws {RangeError} When `iso` is not a time.
 */
export function toOtoboTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new RangeError(`Cannot search OTOBO: "since" must be an ISO 8601 time, got "${iso}"`);
  }
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * The TicketSearch request for a unified search: oldest change first, and enough results to
 * skip `offset` (TicketSearch has a `Limit` but no offset).
 *
 * @param query The search.
 * @returns The request data.
 * @throws {RangeError} When `since` is not a time.
 */
export function searchRequest(query: TicketSearch): Data {
  const data: Data = {
    SortBy: "Changed",
    OrderBy: "Up",
    Limit: (query.offset ?? 0) + query.limit,
  };
  if (query.queue) data.Queues = [query.queue];
  if (query.state) data.States = [query.state];
  if (query.since) data.TicketLastChangeTimeNewerDate = toOtoboTime(query.since);
  return data;
}

/**
 * TicketSearch's `TicketID` answer (absent when nothing matched; strings or numbers) as ids.
 *
 * @param value The `TicketID` value.
 * @returns The ids as strings.
 */
export function ticketIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined || value === null || value === "" ? [] : [String(value)];
}

/** How {@linkcode toTicket} reads dynamic fields. */
export interface ToTicketOptions {
  /** The dynamic field holding tags. */
  tagsField: string;
}

/**
 * One ticket of a TicketGet answer (with `AllArticles=1` and `DynamicFields=1`) as a unified
 * ticket: the Title is the subject, the first article's Body the body, later articles not
 * visible to the customer the notes.
 *
 * @param raw A `Ticket[]` element.
 * @param options Which dynamic field holds tags.
 * @returns The ticket.
 */
export function toTicket(raw: Data, options: ToTicketOptions): Ticket {
  const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const articles = asList(raw.Article);
  const ticket: Ticket = {
    id: text(raw.TicketID),
    subject: text(raw.Title),
    body: text(articles[0]?.Body),
    queue: text(raw.Queue),
    priority: text(raw.Priority),
    tags: fieldValues(raw, options.tagsField),
    notes: articles.slice(1).filter((a) => !Number(a.IsVisibleForCustomer)).map(toNote),
    updated_at: toIsoTime(raw.Changed),
  };
  if (text(raw.State)) ticket.state = text(raw.State);
  if (text(raw.Type)) ticket.type = text(raw.Type);
  if (text(raw.CustomerUserID)) ticket.customer = text(raw.CustomerUserID);
  return ticket;
}

function toNote(article: Data): TicketNote {
  const note: TicketNote = { body: String(article.Body ?? "") };
  if (article.Subject) note.subject = String(article.Subject);
  if (article.From) note.author = String(article.From);
  if (article.CreateTime) note.created_at = toIsoTime(article.CreateTime);
  return note;
}

/** OTOBO sends one element for a list of one in some versions; accept both. */
function asList(value: unknown): Data[] {
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === "object");
  return value && typeof value === "object" ? [value as Data] : [];
}

/**
 * The values of a ticket dynamic field of a TicketGet answer: a multiselect's list, or a text
 * field's comma-separated text, trimmed, empty ones left out.
 *
 * @param raw A TicketGet ticket (with `DynamicFields=1`).
 * @param name The field name.
 * @returns The values.
 */
export function fieldValues(raw: Data, name: string): string[] {
  const value = asList(raw.DynamicField).find((f) => f.Name === name)?.Value;
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  return items.map((t) => String(t).trim()).filter(Boolean);
}

/** How {@linkcode ticketChanges} and {@linkcode noteArticle} write. */
export interface WriteOptions {
  /** Minutes from now a pending state ends (`PendingTime: { Diff }`). */
  pendingMinutes: number;
  /** The article's CommunicationChannel. */
  channel: string;
  /** Minutes accounted per note (`TimeUnit`), when the site wants them. */
  timeUnit?: number | undefined;
  /** Whether the note notifies the ticket's agents. */
  notifyAgents: boolean;
}

/**
 * TicketUpdate's `Ticket` for unified changes: `{ Queue, Priority, State, Type }`, and with a
 * State a `PendingTime`. OTOBO answers a pending state without PendingTime with an error only
 * after it has written queue, lock and type; it ignores PendingTime for other states, so it is
 * always sent with a State.
 *
 * @param changes The changes (tags are written separately).
 * @param options The pending time offset.
 * @returns The Ticket object, or undefined when there is nothing to change.
 */
export function ticketChanges(
  changes: TicketChanges,
  options: Pick<WriteOptions, "pendingMinutes">,
): Data | undefined {
  const ticket: Data = {};
  if (changes.queue) ticket.Queue = changes.queue;
  if (changes.priority) ticket.Priority = changes.priority;
  if (changes.state) {
    ticket.State = changes.state;
    ticket.PendingTime = { Diff: options.pendingMinutes };
  }
  if (changes.type) ticket.Type = changes.type;
  // TicketUpdate refuses an empty Ticket object ("Ticket parameter is not valid!").
  return Object.keys(ticket).length ? ticket : undefined;
}

/**
 * TicketUpdate's `Article` for a note: internal (`IsVisibleForCustomer: 0`), written by the
 * agent, without notifying other agents unless asked, with a TimeUnit when configured.
 *
 * @param note The note.
 * @param options Channel, time unit, notifications.
 * @returns The Article object.
 * @throws {TypeError} When the note has no body.
 */
export function noteArticle(note: TicketNote, options: WriteOptions): Data {
  if (typeof note?.body !== "string" || !note.body.trim()) {
    throw new TypeError("Cannot add a note to an OTOBO ticket: the note has no body");
  }
  const article: Data = {
    // TicketUpdate requires a Subject, and trims both.
    Subject: note.subject?.trim() || "Note",
    Body: note.body.trim(),
    ContentType: "text/plain; charset=utf-8",
    CommunicationChannel: options.channel,
    SenderType: "agent",
    IsVisibleForCustomer: 0,
  };
  if (!options.notifyAgents) article.NoAgentNotify = 1;
  if (options.timeUnit !== undefined) article.TimeUnit = options.timeUnit;
  return article;
}
