/**
 * The Article of the emulator's TicketUpdate operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Ticket::TicketUpdate`: the checks it makes and how the
 * article is stored.
 *
 * @module
 */
import { type Data, fail, type OperationResult } from "./_data.ts";
import { splitContentType } from "./_get.ts";
import { CHANNELS } from "./_catalog.ts";
import type { EmulatorUser, Store, StoredTicket } from "./_store.ts";

const SENDER_TYPES = ["agent", "system", "customer"];

/**
 * The Article checks of `_CheckArticle`, after the defaults TicketUpdate fills in (they are
 * filled into `article`). Only the channels Email, Internal and Phone are accepted (`Chat` is
 * registered but refused); with NeedAccountedTime a note needs a TimeUnit.
 *
 * @param article The request's Article, trimmed.
 * @param options Whether SysConfig requires accounted time.
 * @returns The error TicketUpdate answers, or undefined when the article is fine.
 */
export function checkArticle(
  article: Data,
  options: { needAccountedTime: boolean },
): OperationResult | undefined {
  const missing = (what: string) =>
    fail("TicketUpdate.MissingParameter", `TicketUpdate: Article->${what} parameter is missing!`);
  if (!article.CommunicationChannelID && !article.CommunicationChannel) {
    article.CommunicationChannel = "Internal";
  }
  if (article.CommunicationChannelID && !article.CommunicationChannel) {
    article.CommunicationChannel = CHANNELS[Number(article.CommunicationChannelID) - 1] ?? "";
  }
  // SysConfig GenericInterface::Operation::TicketUpdate###IsVisibleForCustomer defaults to 1.
  article.IsVisibleForCustomer ??= 1;
  if (!article.SenderTypeID && !article.SenderType) article.SenderType = "agent";
  if (article.SenderTypeID && !article.SenderType) {
    article.SenderType = SENDER_TYPES[Number(article.SenderTypeID) - 1] ?? "";
  }
  if (!article.Subject) return missing("Subject");
  if (!article.Body) return missing("Body");
  // ValidateArticleCommunicationChannel: a registered channel named Email, Internal or Phone.
  const channel = String(article.CommunicationChannel);
  if (!CHANNELS.includes(channel) || !["Email", "Internal", "Phone"].includes(channel)) {
    return fail(
      "TicketUpdate.InvalidParameter",
      "TicketUpdate: Article->CommunicationChannel or Article->CommunicationChannelID parameter" +
        " is invalid or not supported!",
    );
  }
  if (!SENDER_TYPES.includes(String(article.SenderType))) {
    return fail(
      "TicketUpdate.InvalidParameter",
      "TicketUpdate: Article->SenderTypeID or Ticket->SenderType parameter is invalid!",
    );
  }
  if (!article.ContentType && !article.MimeType && !article.Charset) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: Article->ContentType or Ticket->MimeType and Article->Charset parameters" +
        " are required!",
    );
  }
  if (article.MimeType && !article.Charset) {
    return fail("TicketUpdate.MissingParameter", "TicketUpdate: Article->Charset is required!");
  }
  if (article.Charset && !article.MimeType) {
    return fail("TicketUpdate.MissingParameter", "TicketUpdate: Article->MimeType is required!");
  }
  if (article.ContentType) {
    // OTOBO lowercases the whole Content-Type and checks it parses.
    article.ContentType = String(article.ContentType).toLowerCase();
    if (!splitContentType(String(article.ContentType))[0].includes("/")) {
      return fail(
        "TicketUpdate.InvalidParameter",
        "TicketUpdate: Article->ContentType is invalid!",
      );
    }
  }
  return checkAccounting(article, options);
}

/** TimeUnit (required by NeedAccountedTime, a decimal number) and NoAgentNotify (1 or unset). */
function checkAccounting(
  article: Data,
  options: { needAccountedTime: boolean },
): OperationResult | undefined {
  const unit = article.TimeUnit;
  if (options.needAccountedTime && (unit === undefined || unit === null || unit === "")) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: Article->TimeUnit is required by sysconfig option!",
    );
  }
  if (unit && !/^\d+([.,]\d+)?$/.test(String(unit))) {
    return fail(
      "TicketUpdate.InvalidParameter",
      "TicketUpdate: Article->TimeUnit parameter is invalid!",
    );
  }
  if (article.NoAgentNotify && String(article.NoAgentNotify) !== "1") {
    return fail(
      "TicketUpdate.InvalidParameter",
      "TicketUpdate: Article->NoAgent parameter is invalid!",
    );
  }
  return undefined;
}

/**
 * Adds a checked article to a ticket.
 *
 * @param ticket The ticket; changed in place.
 * @param article The checked article.
 * @param options The store (for the next ArticleID), the agent writing it and the time.
 * @returns The new ArticleID.
 */
export function addArticle(
  ticket: StoredTicket,
  article: Data,
  { store, user, now }: { store: Store; user: EmulatorUser; now: string },
): number {
  const articleId = store.nextArticleId++;
  ticket.Articles.push({
    ArticleID: articleId,
    ArticleNumber: ticket.Articles.length + 1,
    SenderType: String(article.SenderType),
    CommunicationChannel: String(article.CommunicationChannel),
    IsVisibleForCustomer: Number(article.IsVisibleForCustomer) ? 1 : 0,
    // Without a From, OTOBO uses the agent's full name.
    From: String(article.From ?? user.full_name ?? user.login),
    To: String(article.To ?? ""),
    Subject: String(article.Subject),
    Body: String(article.Body),
    ContentType: article.ContentType
      ? String(article.ContentType)
      : `${article.MimeType}; charset=${article.Charset}`,
    CreateTime: now,
    TimeUnit: Number(String(article.TimeUnit ?? 0).replace(",", ".")) || 0,
  });
  // ArticleCreate notifies the ticket's agents unless the request says NoAgentNotify.
  if (!article.NoAgentNotify) {
    store.notifications.push({ TicketID: ticket.TicketID, ArticleID: articleId });
  }
  return articleId;
}
