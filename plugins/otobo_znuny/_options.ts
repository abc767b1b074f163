/**
 * The `otobo-znuny:Client` service params: their schema, built over the plugin's defaults, and
 * their type once checked.
 *
 * @module
 */
import { z } from "zod";

/** The channels TicketUpdate accepts for an article (OTOBO refuses `Chat`). */
const NOTE_CHANNELS = ["Internal", "Phone", "Email"] as const;
/** The search routes: the stock web service's, or the one an admin may add. */
const SEARCH_ROUTES = ["GET /Ticket", "POST /TicketSearch"] as const;

/** The Client params that have a default: the plugin's `defaults`. */
export interface ClientDefaults {
  /** Log in once with SessionCreate. */
  session: boolean;
  /** How long to wait for each HTTP answer. */
  timeout_ms: number;
  /** The route TicketSearch is called on. */
  search_route: typeof SEARCH_ROUTES[number];
  /** The CommunicationChannel of notes. */
  note_channel: typeof NOTE_CHANNELS[number];
  /** Whether notes notify the ticket's agents. */
  notify_agents: boolean;
  /** Minutes from now a pending state's PendingTime is set to. */
  pending_minutes: number;
  /** How many tickets one TicketGet request fetches. */
  page_size: number;
  /** The ticket dynamic field that holds tags. */
  tags_field: string;
  /** Its type: a multiselect takes a list, a text field comma-separated text. */
  tags_field_type: "multiselect" | "text";
  /** The ticket text dynamic field that holds processed marks. */
  mark_field: string;
  /** How often a read or an idempotent write is tried again. */
  retries: number;
  /** The first wait before trying again; it doubles each time. */
  retry_delay_ms: number;
}

/** Client params with every default applied. */
export type ResolvedOptions = z.output<ReturnType<typeof clientParams>>;

const FIELD_NAME = /^[A-Za-z0-9-]+$/;

/**
 * The schema that validates the `Client` params and applies the defaults.
 *
 * @param defaults The values of the params a config leaves out.
 * @returns The schema.
 *
 * @example
 * ```ts
 * import { clientParams } from "./_options.ts";
 * import { defaults } from "./mod.ts";
 * import { strictEqual } from "node:assert/strict";
 * const params = clientParams(defaults).parse({
 *   base_url: "http://127.0.0.1:8787/x/",
 *   user: "otai",
 *   password_env: "PW",
 * });
 * strictEqual(params.base_url, "http://127.0.0.1:8787/x");
 * strictEqual(params.search_route, "GET /Ticket");
 * ```
 */
export function clientParams(defaults: ClientDefaults) {
  return z.strictObject({
    base_url: z.url({
      protocol: /^https?$/,
      error: "must be the web service URL, e.g. " +
        "http://127.0.0.1:8787/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST",
    }).transform((url) => url.replace(/\/+$/, "")),
    user: z.string().min(1, "must name the agent login"),
    password_env: z.string().regex(
      /^[A-Za-z_][A-Za-z0-9_]*$/,
      "must be the name of an environment variable, e.g. OTOBO_PASSWORD (not the password)",
    ),
    session: z.boolean().default(defaults.session),
    timeout_ms: z.number().int().positive().default(defaults.timeout_ms),
    search_route: z.enum(SEARCH_ROUTES, {
      error: `must be "GET /Ticket" (the stock web service) or "POST /TicketSearch"`,
    }).default(defaults.search_route),
    note_channel: z.enum(NOTE_CHANNELS, {
      error: "must be Internal, Phone or Email (OTOBO's TicketUpdate refuses other channels)",
    }).default(defaults.note_channel),
    note_time_unit: z.number().min(0, "must be 0 or more (minutes accounted per note)")
      .optional(),
    notify_agents: z.boolean().default(defaults.notify_agents),
    pending_minutes: z.number().int().min(1, "must be a whole number of minutes, 1 or more")
      .default(defaults.pending_minutes),
    page_size: z.number().int().min(1).max(500).default(defaults.page_size),
    tags_field: z.string().regex(FIELD_NAME, "must be a dynamic field name")
      .default(defaults.tags_field),
    tags_field_type: z.enum(["multiselect", "text"]).default(defaults.tags_field_type),
    mark_field: z.string().regex(FIELD_NAME, "must be a dynamic field name")
      .default(defaults.mark_field),
    retries: z.number().int().min(0).max(10).default(defaults.retries),
    retry_delay_ms: z.number().int().min(0).max(60_000).default(defaults.retry_delay_ms),
  });
}
