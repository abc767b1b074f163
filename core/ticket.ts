/**
 * The unified ticket model: what every ticket-system plugin speaks, so that any of them is
 * interchangeable in a config.
 *
 * @module
 */

/** A note (an internal article) on a ticket. */
export interface TicketNote {
  /** The text. */
  body: string;
  /** A subject line, when the ticket system keeps one. */
  subject?: string;
  /** Who wrote it. */
  author?: string;
  /** When (ISO 8601). */
  created_at?: string;
}

/** A help-desk ticket. */
export interface Ticket {
  /** The ticket system's id, as a string. */
  id: string;
  /** The subject line (may be empty). */
  subject: string;
  /** The text of the first customer article. */
  body: string;
  /** The queue it sits in. */
  queue: string;
  /** Its priority, by the ticket system's name (e.g. "high", "3 normal"). */
  priority: string;
  /** Its state (e.g. "new", "open"), when known. */
  state?: string;
  /** Its type (e.g. "Incident"), when known. */
  type?: string;
  /** The customer, when known. */
  customer?: string;
  /** Tags. */
  tags: string[];
  /** Notes added to it. */
  notes: TicketNote[];
  /** When it last changed (ISO 8601). */
  updated_at: string;
}

/** Which tickets to search for. */
export interface TicketSearch {
  /** Only tickets in this queue. */
  queue?: string;
  /** Only tickets in this state. */
  state?: string;
  /** Only tickets changed at or after this time (ISO 8601). */
  since?: string;
  /** At most this many. */
  limit: number;
  /** Skip this many (for paging). */
  offset?: number;
}

/** Changes to a ticket. */
export interface TicketChanges {
  /** Move it to this queue. */
  queue?: string;
  /** Set this priority. */
  priority?: string;
  /** Set this state. */
  state?: string;
  /** Set this type. */
  type?: string;
  /** Replace its tags. */
  tags?: string[];
}

/**
 * The service a ticket-system plugin provides. Through the sandbox boundary every method is
 * async; an implementation may be sync.
 */
export interface TicketSystem {
  /** Tickets matching a search, oldest change first. */
  search(query: TicketSearch): Promise<Ticket[]> | Ticket[];
  /** One ticket, or null when there is none with that id. */
  get(id: string): Promise<Ticket | null> | Ticket | null;
  /** Applies changes; returns the updated ticket. */
  update(id: string, changes: TicketChanges): Promise<Ticket> | Ticket;
  /** Adds a note. */
  addNote(id: string, note: TicketNote): Promise<void> | void;
}
