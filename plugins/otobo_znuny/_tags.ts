/**
 * Tags, written in their own TicketUpdate so that they never block routing: a multiselect
 * field takes only its PossibleValues (one unknown value fails the whole TicketUpdate), and a
 * text field takes one text (a list fails in the database after the ticket was written).
 *
 * @module
 */
import { OtoboError } from "./_errors.ts";
import type { Connection } from "./_read.ts";

/**
 * Writes a ticket's tags: joined with `, ` into a text field; into a multiselect only the
 * values it accepts. Which values a multiselect accepts OTOBO does not say, so when it refuses
 * the list, each unknown value is asked about with a TicketUpdate that TicketUpdate's checks
 * refuse before anything is written (a DynamicField with an Attachment but no Article: a bad
 * value fails the field check, a good one the attachment check); answers are remembered.
 * Failures are logged as warnings, never thrown.
 *
 * @param c The connection.
 * @param key The ticket id.
 * @param tags The tags to set (replacing the ticket's).
 * @returns The tags that were not written.
 */
export async function writeTags(c: Connection, key: string, tags: string[]): Promise<string[]> {
  const { tags_field, tags_field_type } = c.options;
  const wanted = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  try {
    if (tags_field_type === "text") {
      await setTags(c, key, wanted.join(", "));
      return [];
    }
    let allowed = wanted.filter((t) => c.tagVerdicts.get(t) !== false);
    try {
      await setTags(c, key, allowed);
    } catch (e) {
      if (!(e instanceof OtoboError) || !/DynamicField->Value/.test(e.detail ?? "")) throw e;
      for (const tag of allowed) {
        if (!c.tagVerdicts.has(tag)) c.tagVerdicts.set(tag, await accepts(c, key, tag));
      }
      allowed = allowed.filter((t) => c.tagVerdicts.get(t));
      await setTags(c, key, allowed);
    }
    const refused = wanted.filter((t) => !allowed.includes(t));
    if (refused.length) {
      warn(c, key, refused, `they are not possible values of dynamic field "${tags_field}"`);
    }
    return refused;
  } catch (e) {
    warn(c, key, wanted, (e as Error).message);
    return wanted;
  }
}

function setTags(c: Connection, key: string, value: string | string[]) {
  return c.client.call({
    operation: "TicketUpdate",
    method: "PATCH",
    route: `/Ticket/${key}`,
    data: { DynamicField: [{ Name: c.options.tags_field, Value: value }] },
    what: `set the tags of ticket "${key}"`,
    // Setting a field to a value twice is harmless.
    idempotent: true,
  });
}

/** Whether the tags field accepts one value, asked with a request OTOBO refuses unwritten. */
async function accepts(c: Connection, key: string, tag: string): Promise<boolean> {
  try {
    await c.client.call({
      operation: "TicketUpdate",
      method: "PATCH",
      route: `/Ticket/${key}`,
      data: {
        DynamicField: [{ Name: c.options.tags_field, Value: [tag] }],
        Attachment: [{ Content: "", ContentType: "text/plain", Filename: "otai-check.txt" }],
      },
      what: `check tag "${tag}" of ticket "${key}"`,
      idempotent: true,
    });
  } catch (e) {
    if (e instanceof OtoboError && /attachment an article is needed/.test(e.detail ?? "")) {
      return true;
    }
    if (e instanceof OtoboError && /DynamicField->Value/.test(e.detail ?? "")) return false;
    throw e;
  }
  // OTOBO refuses every check; had it taken one, the write that follows replaces the value.
  return true;
}

function warn(c: Connection, key: string, tags: string[], reason: string): void {
  c.log?.warn(
    "Ticket {ticket}: tags {tags} not written to OTOBO: {reason}; routing and note are not " +
      "affected; add them to the field in OTOBO (Admin > Dynamic Fields) or change the tags",
    { ticket: key, tags: tags.map((t) => `"${t}"`).join(", "), reason },
  );
}
