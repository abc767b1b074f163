/**
 * The `otobo-znuny:Client` service params: their types, defaults and schema.
 *
 * @module
 */
import { z } from "zod";

/** The channels OTOBO can write an article to. */
export type NoteChannel = "Internal" | "Phone" | "Email" | "Chat";

/** Params of the `Client` service, as a config writes them. */
export interface ClientOptions {
  /**
   * The web service's URL, e.g.
   * `https://hd.example.com/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST`
   * (Znuny and OTRS: `/otrs/nph-genericinterface.pl/...`).
   */
  base_url: string;
  /** The agent login the plugin works as. */
  user: string;
  /** The name of the environment variable that holds the agent's password. */
  password_env: string;
  /** Log in once with SessionCreate and send the SessionID instead of the password. */
  session?: boolean | undefined;
  /** How long to wait for each HTTP answer. */
  timeout_ms?: number | undefined;
  /** The CommunicationChannel of notes `addNote` writes. */
  note_channel?: NoteChannel | undefined;
  /** How many tickets one TicketGet request fetches. */
  page_size?: number | undefined;
  /** The ticket dynamic field that holds tags (a multiselect or a comma-separated text). */
  tags_field?: string | undefined;
}

/** Defaults for the optional params. */
export const defaults = {
  session: false,
  timeout_ms: 30_000,
  note_channel: "Internal",
  page_size: 50,
  tags_field: "Tags",
} as const satisfies Partial<ClientOptions>;

/** Client params with every default applied. */
export type ResolvedOptions = {
  [K in keyof ClientOptions]-?: Exclude<ClientOptions[K], undefined>;
};

/** Validates the `Client` params and applies {@linkcode defaults}. */
export const clientParams: z.ZodType<ResolvedOptions, ClientOptions> = z.strictObject({
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
  note_channel: z.enum(["Internal", "Phone", "Email", "Chat"]).default(defaults.note_channel),
  page_size: z.number().int().min(1).max(500).default(defaults.page_size),
  tags_field: z.string().min(1).default(defaults.tags_field),
});
