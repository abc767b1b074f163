/**
 * Pure mapping between otai's unified ticket model and OTOBO's GenericInterface data.
 *
 * @module
 */
import type { Ticket, TicketChanges, TicketNote, TicketSearch } from "../../plugin.ts";
import type { Data } from "./_otobo_client.ts";

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
    tags: tagsOf(asList(raw.DynamicField), options.tagsField),
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

function tagsOf(fields: Data[], name: string): string[] {
  const value = fields.find((f) => f.Name === name)?.Value;
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  return items.map((t) => String(t).trim()).filter(Boolean);
}

/**
 * The TicketUpdate data for unified changes: `Ticket: { Queue, Priority, State, Type }`, and the
 * tags as the value of the tags dynamic field.
 *
 * @param changes The changes.
 * @param tagsField The dynamic field holding tags.
 * @returns The request data; empty when there is nothing to change.
 */
export function updateRequest(changes: TicketChanges, tagsField: string): Data {
  const ticket: Data = {};
  if (changes.queue) ticket.Queue = changes.queue;
  if (changes.priority) ticket.Priority = changes.priority;
  if (changes.state) ticket.State = changes.state;
  if (changes.type) ticket.Type = changes.type;
  const data: Data = {};
  // TicketUpdate refuses an empty Ticket object ("Ticket parameter is not valid!").
  if (Object.keys(ticket).length) data.Ticket = ticket;
  if (changes.tags) data.DynamicField = [{ Name: tagsField, Value: changes.tags }];
  return data;
}

/**
 * The TicketUpdate data that adds a note: an internal article (`IsVisibleForCustomer: 0`).
 *
 * @param note The note.
 * @param channel The CommunicationChannel.
 * @returns The request data.
 * @throws {TypeError} When the note has no body.
 */
export function noteRequest(note: TicketNote, channel: string): Data {
  if (typeof note?.body !== "string" || !note.body.trim()) {
    throw new TypeError("Cannot add a note to an OTOBO ticket: the note has no body");
  }
  return {
    Article: {
      // TicketUpdate requires a Subject.
      Subject: note.subject?.trim() || "Note",
      Body: note.body,
      ContentType: "text/plain; charset=utf-8",
      CommunicationChannel: channel,
      SenderType: "agent",
      IsVisibleForCustomer: 0,
    },
  };
}
