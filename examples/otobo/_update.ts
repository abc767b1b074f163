/**
 * The emulator's TicketUpdate operation, after OTOBO's
 * `Kernel::GenericInterface::Operation::Ticket::TicketUpdate`: the same checks in the same
 * order, the same error codes and messages, and the same answer
 * (`{ TicketID, TicketNumber, ArticleID? }`, the operation's `IncludeTicketData` being off).
 *
 * @module
 */
import { CHANNELS, type EmulatorUser, formatTime, type Store } from "./_store.ts";
import { type Data, fail, isHashWithData, type OperationResult } from "./_data.ts";
import { splitContentType } from "./_get.ts";

const SENDER_TYPES = ["agent", "system", "customer"];

/**
 * Runs TicketUpdate: changes Title, Queue, State, Priority, Type, CustomerUser and dynamic
 * field values, and adds an Article. Attachments are checked for shape but not stored.
 *
 * @param store The data; changed in place.
 * @param auth Authenticates the request (called after the parameter checks OTOBO makes first).
 * @param data The request data.
 * @returns The response data.
 */
export function ticketUpdate(
  store: Store,
  auth: () => EmulatorUser | undefined,
  data: Data,
): OperationResult {
  const bad = (what: string) =>
    fail("TicketUpdate.InvalidParameter", `TicketUpdate: ${what} parameter is invalid!`);
  const denied = () =>
    fail("TicketUpdate.AccessDenied", "TicketUpdate: User does not have access to the ticket!");
  if (!data.TicketID && !data.TicketNumber) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: TicketID or TicketNumber is required!",
    );
  }
  if ((data.UserLogin || data.CustomerUserLogin) && !data.Password) {
    return fail(
      "TicketUpdate.MissingParameter",
      "TicketUpdate: Password or SessionID is required!",
    );
  }
  const user = auth();
  if (!user) return fail("TicketUpdate.AuthFail", "TicketUpdate: User could not be authenticated!");
  const ticket = data.TicketNumber
    ? [...store.tickets.values()].find((t) => t.TicketNumber === String(data.TicketNumber))
    : store.tickets.get(Number(data.TicketID));
  const mayUse = (queue: string) => !user.queues || user.queues.includes(queue);
  if (!ticket || !mayUse(ticket.Queue)) return denied();
  for (const key of ["Ticket", "Article"]) {
    if (data[key] !== undefined && !isHashWithData(data[key])) {
      return fail("TicketUpdate.InvalidParameter", `TicketUpdate: ${key} parameter is not valid!`);
    }
  }
  for (const key of ["DynamicField", "Attachment"]) {
    const value = data[key];
    if (value !== undefined && !isHashWithData(value) && !(Array.isArray(value) && value.length)) {
      return fail(
        "TicketUpdate.MissingParameter",
        `TicketUpdate: ${key} parameter is missing or not valid!`,
      );
    }
  }
  const changes = trimmed(data.Ticket as Data | undefined);
  const { catalog } = store;
  const byIdOrName = (items: string[], id: unknown, name: unknown) =>
    name ? String(name) : items[Number(id) - 1];
  const queue = byIdOrName(catalog.queues, changes.QueueID, changes.Queue);
  const state = byIdOrName(Object.keys(catalog.states), changes.StateID, changes.State);
  const priority = byIdOrName(catalog.priorities, changes.PriorityID, changes.Priority);
  const type = byIdOrName(catalog.types, changes.TypeID, changes.Type);
  if ((changes.QueueID || changes.Queue) && !catalog.queues.includes(queue ?? "")) {
    return bad("Ticket->QueueID or Ticket->Queue");
  }
  if ((changes.TypeID || changes.Type) && !catalog.types.includes(type ?? "")) {
    return bad("Ticket->TypeID or Ticket->Type");
  }
  if ((changes.StateID || changes.State) && !(state && state in catalog.states)) {
    return bad("Ticket->StateID or Ticket->State");
  }
  if ((changes.PriorityID || changes.Priority) && !catalog.priorities.includes(priority ?? "")) {
    return bad("Ticket->PriorityID or Ticket->Priority");
  }
  let article: Data | undefined;
  if (data.Article !== undefined) {
    article = trimmed(data.Article as Data);
    const problem = checkArticle(article);
    if (problem) return problem;
  }
  const fields = data.DynamicField === undefined
    ? []
    : (Array.isArray(data.DynamicField) ? data.DynamicField : [data.DynamicField]) as Data[];
  for (const field of fields) {
    for (const needed of ["Name", "Value"]) {
      const v = field?.[needed];
      if (v === undefined || v === null || (typeof v === "object" && !Array.isArray(v))) {
        return fail(
          "TicketUpdate.MissingParameter",
          `TicketUpdate: DynamicField->${needed} parameter is missing!`,
        );
      }
    }
    if (!catalog.dynamic_fields.includes(String(field.Name))) return bad("DynamicField->Name");
  }
  // Moving a ticket needs rw on the target queue too (_CheckUpdatePermissions).
  if (queue && !mayUse(queue)) return denied();

  const now = formatTime(new Date());
  let changed = false;
  const set = <K extends "Title" | "Queue" | "State" | "Priority" | "Type" | "CustomerUserID">(
    key: K,
    value: string | undefined,
  ) => {
    if (value !== undefined && ticket[key] !== value) {
      ticket[key] = value;
      changed = true;
    }
  };
  set("Title", changes.Title === undefined ? undefined : String(changes.Title));
  set("Queue", queue);
  set("State", state);
  set("Priority", priority);
  set("Type", type);
  set(
    "CustomerUserID",
    changes.CustomerUser === undefined ? undefined : String(changes.CustomerUser),
  );
  let articleId: number | undefined;
  if (article) {
    articleId = store.nextArticleId++;
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
    });
    changed = true;
  }
  for (const field of fields) {
    ticket.DynamicField[String(field.Name)] = field.Value;
    changed = true;
  }
  // OTOBO moves the ticket's change_time with every history entry; so does the emulator.
  if (changed) ticket.Changed = now;
  const body: Record<string, unknown> = {
    TicketID: data.TicketID ?? String(ticket.TicketID),
    TicketNumber: ticket.TicketNumber,
  };
  if (articleId !== undefined) body.ArticleID = articleId;
  return { status: 200, body };
}

/** The Article checks of `_CheckArticle`, after the defaults TicketUpdate fills in. */
function checkArticle(article: Data): OperationResult | undefined {
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
  if (!CHANNELS.includes(String(article.CommunicationChannel))) {
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
  return undefined;
}

/** TicketUpdate strips leading and trailing white space from every plain value. */
function trimmed(data: Data | undefined): Data {
  const out: Data = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    out[key] = typeof value === "string" ? value.trim() : value;
  }
  return out;
}
