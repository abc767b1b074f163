import type {
  Ticket,
  TicketChanges,
  TicketNote,
  TicketSearch,
  TicketSystem,
} from "../core/ticket.ts";

/** One write a {@linkcode FakeTicketSystem} received, in the order received. */
export interface RecordedUpdate {
  /** The method called. */
  method: "update" | "addNote" | "apply";
  /** The ticket id. */
  id: string;
  /** The changes asked for, if any. */
  changes?: TicketChanges;
  /** The note added, if any. */
  note?: TicketNote;
  /** The processed mark asked for (`apply`), if any. */
  mark?: string;
  /** False when the ticket had the mark already, so nothing was done. */
  applied: boolean;
}

/** What `apply()` does in one call: changes, a note and a processed mark. */
export interface FakeApplyAction {
  /** Fields to change. */
  changes?: TicketChanges;
  /** A note to add. */
  note?: TicketNote;
  /** Mark the ticket processed under this key; a ticket that has it is left alone. */
  mark?: string;
}

/** A ticket given to {@linkcode fakeTicketSystem}: an id, and any other fields. */
export type FakeTicket = Partial<Ticket> & { id: string };

/** A {@linkcode TicketSystem} search, with the marks filter the first-party pipes pass on. */
export interface FakeTicketSearch extends Partial<TicketSearch> {
  /** Only tickets without this processed mark. */
  unprocessed?: string;
}

/**
 * An in-memory ticket system for tests, with `apply()` and processed marks as the first-party
 * ticket systems have them. It records every write in {@linkcode FakeTicketSystem.updates}.
 */
export class FakeTicketSystem implements TicketSystem {
  #tickets = new Map<string, Ticket>();
  #marks = new Map<string, Set<string>>();
  /** Every write received, in order. */
  readonly updates: RecordedUpdate[] = [];

  /** Holds copies of `tickets`; fields a ticket leaves out get empty values. */
  constructor(tickets: readonly FakeTicket[] = []) {
    for (const t of tickets) this.#tickets.set(t.id, filled(t));
  }

  /** Tickets matching a search (queue, state, since, unprocessed), oldest change first. */
  search(query: FakeTicketSearch = {}): Ticket[] {
    const found = [...this.#tickets.values()].filter((t) =>
      (query.queue === undefined || t.queue === query.queue) &&
      (query.state === undefined || t.state === query.state) &&
      (query.since === undefined || t.updated_at >= query.since) &&
      (query.unprocessed === undefined || !this.#marks.get(t.id)?.has(query.unprocessed))
    ).sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id.localeCompare(b.id));
    const offset = query.offset ?? 0;
    return structuredClone(found.slice(offset, offset + (query.limit ?? found.length)));
  }

  /** One ticket, or null. */
  get(id: string): Ticket | null {
    const t = this.#tickets.get(id);
    return t ? structuredClone(t) : null;
  }

  /**
   * Applies changes; returns the ticket.
   *
   * @throws {Error} When there is no ticket with that id.
   */
  update(id: string, changes: TicketChanges): Ticket {
    const t = this.#ticket(id, "update");
    Object.assign(t, structuredClone(changes));
    this.updates.push({ method: "update", id, changes: structuredClone(changes), applied: true });
    return structuredClone(t);
  }

  /**
   * Adds a note.
   *
   * @throws {Error} When there is no ticket with that id.
   */
  addNote(id: string, note: TicketNote): void {
    this.#ticket(id, "add a note to").notes.push(structuredClone(note));
    this.updates.push({ method: "addNote", id, note: structuredClone(note), applied: true });
  }

  /**
   * Changes, notes and marks a ticket in one call; with a mark the ticket has, does nothing.
   *
   * @throws {Error} When there is no ticket with that id.
   */
  apply(id: string, action: FakeApplyAction): { applied: boolean; ticket: Ticket } {
    const t = this.#ticket(id, "update");
    const marks = this.#marks.get(id) ?? new Set<string>();
    const applied = action.mark === undefined || !marks.has(action.mark);
    if (applied) {
      if (action.changes) Object.assign(t, structuredClone(action.changes));
      if (action.note) t.notes.push(structuredClone(action.note));
      if (action.mark !== undefined) this.#marks.set(id, marks.add(action.mark));
    }
    const { changes, note, mark } = structuredClone(action);
    this.updates.push({
      method: "apply",
      id,
      ...(changes === undefined ? {} : { changes }),
      ...(note === undefined ? {} : { note }),
      ...(mark === undefined ? {} : { mark }),
      applied,
    });
    return { applied, ticket: structuredClone(t) };
  }

  /** The processed marks a ticket has. */
  marks(id: string): string[] {
    return [...(this.#marks.get(id) ?? [])];
  }

  #ticket(id: string, verb: string): Ticket {
    const t = this.#tickets.get(id);
    if (!t) throw new Error(`Cannot ${verb} ticket "${id}": there is no ticket with that id`);
    return t;
  }
}

/**
 * A fake ticket system holding `tickets`, to inject into pipes under test; it records every
 * update, note and mark.
 *
 * @param tickets The tickets it holds (missing fields get empty values).
 * @returns The fake; pass it as a service to `testPipe` or `testService`.
 *
 * @example
 * ```ts
 * import { fakeTicketSystem } from "@otai/cli/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 * const tickets = fakeTicketSystem([{ id: "1", queue: "Inbox" }]);
 * tickets.update("1", { queue: "IT" });
 * deepStrictEqual(tickets.updates, [
 *   { method: "update", id: "1", changes: { queue: "IT" }, applied: true },
 * ]);
 * ```
 */
export function fakeTicketSystem(tickets: readonly FakeTicket[] = []): FakeTicketSystem {
  return new FakeTicketSystem(tickets);
}

function filled(t: FakeTicket): Ticket {
  return structuredClone({
    subject: "",
    body: "",
    queue: "",
    priority: "",
    tags: [],
    notes: [],
    updated_at: "1970-01-01T00:00:00.000Z",
    ...t,
  });
}
