/**
 * The zod schemas the ticket pipes share: a ticket id, changes, a note and a mark.
 *
 * @module
 */
import { z } from "zod";

const CHANGE_FIELDS = ["queue", "priority", "state", "type", "tags"];

/** A ticket id: text, or a whole number (a YAML `id: 7`), passed on as text. */
export const ticketId = z.union([z.string().min(1), z.number().int().nonnegative()], {
  error: 'give the ticket id as text, e.g. id: "${{ item.id }}"',
}).transform(String);

/** Changes to a ticket: the fields of `TicketChanges`, and no others. */
export const ticketChanges = z.strictObject({
  queue: nonEmpty("queue").optional(),
  priority: nonEmpty("priority").optional(),
  state: nonEmpty("state").optional(),
  type: nonEmpty("type").optional(),
  tags: z.array(z.string(), { error: 'give tags as a list of text, e.g. tags: ["vpn"]' })
    .optional(),
}, {
  error(issue) {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `cannot change ${keys}; change only ${CHANGE_FIELDS.join(", ")}`;
    }
    if (issue.code === "invalid_type") return 'give changes as a map, e.g. { queue: "IT" }';
    return undefined;
  },
});

/** A note to add: a body and an optional subject. */
export const ticketNote = z.strictObject({
  body: z.string({ error: "give the note's text as body" }).min(1, {
    error: "give the note a non-empty body",
  }),
  subject: z.string().optional(),
}, {
  error(issue) {
    if (issue.code === "unrecognized_keys") {
      return `a note has body and subject only; remove ${
        issue.keys.map((k) => `"${k}"`).join(", ")
      }`;
    }
    if (issue.code === "invalid_type") return 'give the note as a map, e.g. { body: "Moved" }';
    return undefined;
  },
});

/** A processed-marker key, e.g. `triage`. */
export const markKey = z.string({ error: "give mark as text, e.g. mark: triage" }).min(1, {
  error: "give mark a non-empty key, e.g. mark: triage",
});

/** One ticket update: what `UpdateTicket` takes and each entry of `UpdateTickets`. */
export const ticketUpdate = z.object({
  id: ticketId,
  changes: ticketChanges.optional(),
  note: ticketNote.optional(),
  mark: markKey.optional(),
});

function nonEmpty(field: string) {
  return z.string({ error: `give ${field} as text` }).min(1, {
    error: `give ${field} a non-empty value, or leave it out`,
  });
}
