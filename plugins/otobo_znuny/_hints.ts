/**
 * What to do about an error OTOBO or Znuny answered: the fix a message ends with, read from
 * the ErrorCode, the ErrorMessage or the faultstring (the same texts in both products).
 *
 * @module
 */

/** What a message needs to say what to do. */
export interface ErrorContext {
  /** The action, e.g. `search tickets` or `update ticket "7"`. */
  what: string;
  /** The GenericInterface operation. */
  operation: string;
  /** The agent login. */
  user: string;
  /** The env var holding the password. */
  passwordEnv: string;
  /** `scheme://host:port` of the web service. */
  origin: string;
  /** The queue a TicketUpdate moves the ticket to, if any. */
  queue?: string | undefined;
}

/** TicketUpdate's AccessDenied messages, and the permission each one lacks. */
const ACCESS: [RegExp, (ctx: ErrorContext) => string][] = [
  [
    /create new articles/,
    (c) => `give "${c.user}" the note permission (OTOBO) or rw (Znuny) on the ticket's queue`,
  ],
  [/update dynamic fields/, (c) => `give "${c.user}" rw permission on the ticket's queue`],
  [/update queue/, (c) => `give "${c.user}" rw permission on the ticket's current queue`],
  [/update priority/, (c) => `give "${c.user}" the priority permission on the ticket's queue`],
  [/update state/, (c) => `give "${c.user}" rw permission on the ticket's queue (to close it)`],
];

/**
 * The fix for an AccessDenied: the permission the message names, or, for "does not have access
 * to the ticket", that the ticket exists and the agent may read it.
 *
 * @param text The ErrorMessage.
 * @param ctx What was being done.
 * @returns The fix, without a leading separator.
 */
export function accessFix(text: string, ctx: ErrorContext): string {
  for (const [pattern, fix] of ACCESS) if (pattern.test(text)) return fix(ctx);
  const permission = ctx.operation === "TicketUpdate" ? "rw" : "ro";
  return `check that the ticket exists and that "${ctx.user}" has ${permission} permission on ` +
    `its queue`;
}

/**
 * The fix for an operation error other than AuthFail and AccessDenied.
 *
 * @param code The ErrorCode.
 * @param text The ErrorMessage.
 * @returns `; <fix>`, or `""` when there is none to give.
 */
export function operationFix(code: string, text: string): string {
  if (/TimeUnit is required/.test(text)) {
    return "; this OTOBO requires accounted time on notes (NeedAccountedTime): set " +
      "note_time_unit in the service params";
  }
  if (/CommunicationChannel/.test(text)) {
    return "; set note_channel to Internal, Phone or Email";
  }
  if (/pending state without pendig time|PendingTime/.test(text)) {
    return "; set pending_minutes to a whole number of minutes";
  }
  if (/DynamicField->Name/.test(text)) {
    return "; create the ticket dynamic field in OTOBO (Admin > Dynamic Fields), or name an " +
      "existing one in mark_field or tags_field";
  }
  if (/DynamicField->Value/.test(text)) {
    return "; the value is not one the dynamic field accepts (a multiselect takes only its " +
      "possible values; mark_field must be a text field)";
  }
  if (code.endsWith(".InvalidParameter")) {
    return "; use a queue, state, priority, type or dynamic field name that exists in OTOBO";
  }
  if (code.startsWith("Webservice.")) return "; check the web service configuration in OTOBO";
  return "";
}

/**
 * The fix for a faultstring an operation answers when it failed inside (HTTP 500), or
 * undefined for a fault it does not know (a crash: the outcome is unknown).
 *
 * @param fault The faultstring.
 * @param ctx What was being done.
 * @returns `; <fix>`, or undefined.
 */
export function faultFix(fault: string, ctx: ErrorContext): string | undefined {
  if (/queue could not be updated/i.test(fault)) {
    const queue = ctx.queue ? ` "${ctx.queue}"` : "";
    return `; OTOBO refused the move: give "${ctx.user}" the move_into permission on the ` +
      `target queue${queue} (the ticket's other changes before the queue may be written)`;
  }
  const field = /Dynamic Field (\S+) could not be set/i.exec(fault);
  if (field) {
    return `; OTOBO could not store the value of dynamic field "${field[1]}" after writing the ` +
      `ticket's fields and note: check the field's type (a text field takes one text; set ` +
      `tags_field_type to match the tags field)`;
  }
  if (/could not be (updated|created|set)|cancelling Request/i.test(fault)) {
    return "; check the OTOBO log (Admin > System Log) for the cause";
  }
  return undefined;
}
