/**
 * A TicketUpdate that is written at most once. A note is not idempotent, so a TicketUpdate is
 * never simply sent again: when its outcome is unknown (HTTP 5xx, a timeout, a dropped
 * connection) or it failed part-way, the ticket is read back and compared with what was
 * asked, and only what is missing is sent again. TicketUpdate writes the ticket's fields, then
 * the article, then the dynamic fields, so a mark in place means everything before it is too.
 *
 * @module
 */
import { backoff } from "./_backoff.ts";
import { OtoboError } from "./_errors.ts";
import { marksOf } from "./_marks.ts";
import { type Connection, readTicket } from "./_read.ts";
import type { Data } from "./_transport.ts";

/** Said of a ticket whose processing under a mark did not finish. */
const AGAIN = "; the next unprocessed search returns it again";

/** What one TicketUpdate asks for. */
export interface WriteRequest {
  /** The `Ticket` object: fields to change. */
  ticket?: Data | undefined;
  /** The `Article` object: a note to add. */
  article?: Data | undefined;
  /** The processed mark: its field, its key, and the field's new value. */
  mark?: { field: string; key: string; entry: Data } | undefined;
}

/**
 * Writes a request to a ticket at most once, reconciling after each unknown outcome.
 *
 * @param c The connection.
 * @param key The ticket id.
 * @param plan The ticket as read before, the request, and the action for messages.
 * @throws {OtoboError} When OTOBO refuses it (nothing written), when it failed part-way
 *   (`outcome: "partial"`), or when no try got an answer (`outcome: "unknown"`).
 */
export async function writeOnce(
  c: Connection,
  key: string,
  plan: { before: Data; request: WriteRequest; what: string },
): Promise<void> {
  const { before, what } = plan;
  let pending: WriteRequest | undefined = plan.request;
  for (let attempt = 0;; attempt++) {
    try {
      await send(c, key, pending, what);
      return;
    } catch (e) {
      if (!(e instanceof OtoboError) || e.outcome === "none") throw e;
      const marked = plan.request.mark !== undefined;
      const after = await readBack(c, key, e, marked);
      pending = remaining(before, after, pending);
      if (!pending) return;
      if (e.outcome === "partial" || attempt >= c.options.retries) {
        throw unfinished(e, key, marked);
      }
      c.log?.info("OTOBO: {error}; sending what is missing again (try {next})", {
        error: e.message,
        next: attempt + 2,
      });
      await backoff(c.options.retry_delay_ms, attempt);
    }
  }
}

function send(c: Connection, key: string, request: WriteRequest, what: string): Promise<Data> {
  const data: Data = {};
  if (request.ticket) data.Ticket = request.ticket;
  if (request.article) data.Article = request.article;
  if (request.mark) data.DynamicField = [request.mark.entry];
  return c.client.call({
    operation: "TicketUpdate",
    method: "PATCH",
    route: `/Ticket/${key}`,
    data,
    what,
    // Never sent again as it is: writeOnce reads the ticket back first.
    idempotent: false,
    queue: typeof request.ticket?.Queue === "string" ? request.ticket.Queue : undefined,
  });
}

/** The ticket after a write whose outcome is unknown; a failure to read it names both. */
async function readBack(
  c: Connection,
  key: string,
  cause: OtoboError,
  marked: boolean,
): Promise<Data> {
  let after: Data | null;
  try {
    after = await readTicket(c, key, `read ticket "${key}" back`);
  } catch (e) {
    throw new OtoboError(
      `${cause.message}; reading ticket "${key}" back failed too (${(e as Error).message}), ` +
        `so it may be partly changed${marked ? AGAIN : ""}`,
      { kind: cause.kind, operation: cause.operation, code: cause.code, outcome: "unknown" },
    );
  }
  if (!after) throw cause;
  return after;
}

/**
 * What of a request the ticket does not show yet: nothing once the mark is in place; no
 * article once a note like it was added after `before`; no fields once they all match.
 *
 * @param before The ticket before the first try.
 * @param after The ticket now.
 * @param request What was asked.
 * @returns What to send again, or undefined when all of it is in place.
 */
export function remaining(
  before: Data,
  after: Data,
  request: WriteRequest,
): WriteRequest | undefined {
  const { mark } = request;
  if (mark && marksOf(after, mark.field).includes(mark.key)) return undefined;
  const article = request.article && !noteAdded(before, after, request.article)
    ? request.article
    : undefined;
  const ticket = request.ticket && !fieldsMatch(after, request.ticket) ? request.ticket : undefined;
  if (!mark && !article && !ticket) return undefined;
  // The fields go again with the rest: setting them twice is harmless.
  return { ticket: mark || article ? request.ticket : ticket, article, mark };
}

/** Whether `after` has an agent article with this subject and body that `before` had not. */
function noteAdded(before: Data, after: Data, article: Data): boolean {
  const seen = Math.max(0, ...articles(before).map((a) => Number(a.ArticleID) || 0));
  return hasNote(after, article, seen);
}

/**
 * Whether a ticket has an agent article with this subject and body (after an ArticleID).
 *
 * @param raw A TicketGet ticket with its articles.
 * @param article The Article a TicketUpdate sends.
 * @param afterId Only articles with a greater ArticleID count.
 * @returns True when it has one.
 */
export function hasNote(raw: Data, article: Data, afterId = 0): boolean {
  return articles(raw).some((a) =>
    Number(a.ArticleID) > afterId && a.SenderType === "agent" &&
    String(a.Subject) === String(article.Subject) && String(a.Body) === String(article.Body)
  );
}

function fieldsMatch(after: Data, ticket: Data): boolean {
  return ["Queue", "State", "Priority", "Type"].every((k) =>
    ticket[k] === undefined || String(after[k]) === String(ticket[k])
  );
}

function articles(raw: Data): Data[] {
  const list = Array.isArray(raw.Article) ? raw.Article : raw.Article ? [raw.Article] : [];
  return list.filter((a): a is Data => !!a && typeof a === "object");
}

/** The error of a write that did not finish: it says the ticket may be partly changed. */
function unfinished(e: OtoboError, key: string, marked: boolean): OtoboError {
  return new OtoboError(
    `${e.message}; ticket "${key}" may be partly changed (its note is never added twice)` +
      (marked ? AGAIN : ""),
    { kind: e.kind, operation: e.operation, code: e.code, outcome: e.outcome, detail: e.detail },
  );
}
