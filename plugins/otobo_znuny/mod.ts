/**
 * otobo-znuny: otai's ticket system for OTOBO, Znuny and OTRS 6, over the GenericInterface
 * REST web service `GenericTicketConnectorREST`.
 *
 * The `Client` service implements otai's TicketSystem (`search`, `get`, `update`, `addNote`,
 * plus `apply` with processed marks kept in OTOBO, and `ping`); the pipes `Ping`, `Search` and
 * `AddNote` use one injected as `tickets`. The
 * plugin asks for `net` and `env`; grant it the help desk's host and the one variable that
 * holds the agent's password:
 *
 * ```yaml
 * plugins:
 *   - from: ./plugins/otobo_znuny/mod.ts
 *     permissions: { net: ["hd.example.com"], env: ["OTOBO_PASSWORD"] }
 * services:
 *   - id: otobo
 *     use: otobo-znuny:Client
 *     params:
 *       base_url: https://hd.example.com/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST
 *       user: otai
 *       password_env: OTOBO_PASSWORD
 * ```
 *
 * @example
 * ```ts
 * import plugin from "./mod.ts";
 * import { testPipe } from "@otai/cli/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const result = await testPipe(plugin, "Search", {
 *   params: { state: "new", limit: 5 },
 *   services: { tickets: { search: () => [] } },
 * });
 * deepStrictEqual(result, { status: "succeeded", data: { tickets: [], count: 0 } });
 * ```
 *
 * @module
 */
import { definePlugin, type PluginManifest, type ServiceDefinition } from "@otai/cli/plugin";
import { addNotePipe } from "./_add_note.ts";
import { defineClientService } from "./_client.ts";
import type { ClientDefaults } from "./_options.ts";
import { pingPipe } from "./_ping.ts";
import { searchPipe } from "./_search.ts";

/** The channels OTOBO's TicketUpdate accepts for an article. */
export type NoteChannel = "Internal" | "Phone" | "Email";

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
  /** `GET /Ticket` (the stock web service's) or `POST /TicketSearch` (where an admin added it). */
  search_route?: "GET /Ticket" | "POST /TicketSearch" | undefined;
  /** The CommunicationChannel of notes. */
  note_channel?: NoteChannel | undefined;
  /** Minutes accounted with each note (`TimeUnit`), for sites that require accounted time. */
  note_time_unit?: number | undefined;
  /** Let notes notify the ticket's agents (OTOBO's default); otai's notes do not by default. */
  notify_agents?: boolean | undefined;
  /** Minutes from now that a pending state ends (`PendingTime`). */
  pending_minutes?: number | undefined;
  /** How many tickets one TicketGet request fetches. */
  page_size?: number | undefined;
  /** The ticket dynamic field that holds tags. */
  tags_field?: string | undefined;
  /** The tags field's type: `multiselect` (a list) or `text` (comma-separated). */
  tags_field_type?: "multiselect" | "text" | undefined;
  /** The ticket text dynamic field that holds processed marks. */
  mark_field?: string | undefined;
  /** How often a read or an idempotent write is tried again after no usable answer. */
  retries?: number | undefined;
  /** The wait before the first retry; it doubles with each. */
  retry_delay_ms?: number | undefined;
}

/** Defaults for the optional params. */
export const defaults = {
  session: true,
  timeout_ms: 30_000,
  search_route: "GET /Ticket",
  note_channel: "Internal",
  notify_agents: false,
  pending_minutes: 24 * 60,
  page_size: 50,
  tags_field: "Tags",
  tags_field_type: "multiselect",
  mark_field: "OtaiMarks",
  retries: 4,
  retry_delay_ms: 500,
} as const satisfies ClientDefaults & Partial<ClientOptions>;

/** The plugin manifest: the `Client` service and the `Ping`, `Search` and `AddNote` pipes. */
const plugin: PluginManifest = definePlugin({
  name: "otobo-znuny",
  version: "1.0.0",
  api: "^1.0",
  description: "Tickets from OTOBO, Znuny and OTRS over the GenericInterface REST API",
  permissions: { net: true, env: true },
  injectables: [
    defineClientService(defaults) satisfies ServiceDefinition<ClientOptions>,
    pingPipe,
    searchPipe,
    addNotePipe,
  ],
});

export default plugin;
