/**
 * The `otobo-znuny:Client` service params: their schema, built over the plugin's defaults, and
 * their type once checked.
 *
 * @module
 */
import { z } from "zod";

const NOTE_CHANNELS = ["Internal", "Phone", "Email", "Chat"] as const;

/** The Client params that have a default: the plugin's `defaults`. */
export interface ClientDefaults {
  /** Log in once with SessionCreate. */
  session: boolean;
  /** How long to wait for each HTTP answer. */
  timeout_ms: number;
  /** The CommunicationChannel of notes. */
  note_channel: typeof NOTE_CHANNELS[number];
  /** How many tickets one TicketGet request fetches. */
  page_size: number;
  /** The ticket dynamic field that holds tags. */
  tags_field: string;
}

/** Client params with every default applied. */
export type ResolvedOptions = z.output<ReturnType<typeof clientParams>>;

/**
 * The schema that validates the `Client` params and applies the defaults.
 *
 * @param defaults The values of the params a config leaves out.
 * @returns The schema.
 *
 * @example
 * ```ts
 * import { clientParams } from "./_options.ts";
 * import { strictEqual } from "node:assert/strict";
 * const params = clientParams({
 *   session: false,
 *   timeout_ms: 1000,
 *   note_channel: "Internal",
 *   page_size: 10,
 *   tags_field: "Tags",
 * }).parse({ base_url: "http://127.0.0.1:8787/x/", user: "otai", password_env: "PW" });
 * strictEqual(params.base_url, "http://127.0.0.1:8787/x");
 * strictEqual(params.page_size, 10);
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
    note_channel: z.enum(NOTE_CHANNELS).default(defaults.note_channel),
    page_size: z.number().int().min(1).max(500).default(defaults.page_size),
    tags_field: z.string().min(1).default(defaults.tags_field),
  });
}
