/**
 * The emulator's catalog: the queues, states, priorities, types and dynamic fields OTOBO
 * validates ticket attributes against, with the defaults of a fresh installation.
 *
 * @module
 */

/** A dynamic field as Admin > Dynamic Fields defines it. */
export interface DynamicFieldConfig {
  /** The field's name, e.g. `Tags`. */
  name: string;
  /** The field type (`Kernel::System::DynamicField::Driver::<type>`). */
  type: "Text" | "TextArea" | "Dropdown" | "Multiselect";
  /** The keys a Dropdown or Multiselect accepts (its `PossibleValues`). */
  possible_values?: string[];
  /** `Ticket` (the default) or `Article`. */
  object_type?: "Ticket" | "Article";
}

/** The names OTOBO validates ticket attributes against. */
export interface Catalog {
  /** Queue names; the QueueID is the position from 1. */
  queues: string[];
  /** State name to state type (`new`, `open`, `closed`, `pending reminder`, ...). */
  states: Record<string, string>;
  /** Priority names; the PriorityID is the position from 1. */
  priorities: string[];
  /** Ticket type names; the TypeID is the position from 1. */
  types: string[];
  /** Valid dynamic fields. */
  dynamic_fields: DynamicFieldConfig[];
}

/** Catalog entries as seed data holds them: a field given by name alone is a Text field. */
export type SeedCatalog = Partial<Omit<Catalog, "dynamic_fields">> & {
  /** Dynamic fields: a name (a Text field) or a full definition. */
  dynamic_fields?: (string | DynamicFieldConfig)[];
};

/** What a fresh OTOBO installation ships (scripts/database/otobo-initial_insert). */
const DEFAULT_CATALOG = {
  queues: ["Postmaster", "Raw", "Junk", "Misc"],
  states: {
    "new": "new",
    "open": "open",
    "closed successful": "closed",
    "closed unsuccessful": "closed",
    "removed": "removed",
    "pending reminder": "pending reminder",
    "pending auto close+": "pending auto",
    "pending auto close-": "pending auto",
    "merged": "merged",
  },
  priorities: ["1 very low", "2 low", "3 normal", "4 high", "5 very high"],
  types: ["Unclassified"],
} satisfies Omit<Catalog, "dynamic_fields">;

/**
 * The channels OTOBO registers (`Kernel::System::CommunicationChannel`), in ChannelID order.
 * `Chat` exists, but TicketUpdate accepts only Email, Internal and Phone.
 */
export const CHANNELS: readonly string[] = ["Email", "Phone", "Internal", "Chat"];

/**
 * Builds a catalog: OTOBO's defaults, then the seed's entries.
 *
 * @param seed Extra queues, states, priorities, types and dynamic fields.
 * @returns The catalog.
 *
 * @example
 * ```ts
 * import { createCatalog } from "./_catalog.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const catalog = createCatalog({ dynamic_fields: ["Marks"] });
 * deepStrictEqual(catalog.dynamic_fields, [{ name: "Marks", type: "Text", object_type: "Ticket" }]);
 * ```
 */
export function createCatalog(seed: SeedCatalog = {}): Catalog {
  const fields = new Map<string, DynamicFieldConfig>();
  for (const f of seed.dynamic_fields ?? []) {
    const field = typeof f === "string" ? { name: f, type: "Text" as const } : f;
    fields.set(field.name, { ...field, object_type: field.object_type ?? "Ticket" });
  }
  return {
    queues: unique(DEFAULT_CATALOG.queues, seed.queues),
    states: { ...DEFAULT_CATALOG.states, ...seed.states },
    priorities: unique(DEFAULT_CATALOG.priorities, seed.priorities),
    types: unique(DEFAULT_CATALOG.types, seed.types),
    dynamic_fields: [...fields.values()],
  };
}

/**
 * The valid ticket dynamic field with this name.
 *
 * @param catalog The catalog.
 * @param name The field name.
 * @returns Its definition, or undefined.
 */
export function ticketField(catalog: Catalog, name: string): DynamicFieldConfig | undefined {
  return catalog.dynamic_fields.find((f) => f.name === name && f.object_type !== "Article");
}

function unique(base: string[], extra: string[] | undefined): string[] {
  return [...new Set([...base, ...(extra ?? [])])];
}
