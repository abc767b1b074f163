/**
 * otobo-znuny: otai's ticket system for OTOBO, Znuny and OTRS 6, over the GenericInterface
 * REST web service `GenericTicketConnectorREST`.
 *
 * The `Client` service implements otai's TicketSystem (`search`, `get`, `update`, `addNote`,
 * plus `ping`); the pipes `Ping`, `Search` and `AddNote` use one injected as `tickets`. The
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
 * import { testPipe } from "../../testing.ts";
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
import { definePlugin, type PluginManifest, type ServiceDefinition } from "../../plugin.ts";
import { addNotePipe } from "./_add_note.ts";
import { defineClientService } from "./_client.ts";
import { pingPipe } from "./_ping.ts";
import { searchPipe } from "./_search.ts";

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

/** The plugin manifest: the `Client` service and the `Ping`, `Search` and `AddNote` pipes. */
const plugin: PluginManifest = definePlugin({
  name: "otobo-znuny",
  version: "1.0.0",
  api: "^1.0",
  description: "Tickets from OTOBO, Znuny and OTRS over the GenericInterface REST API",
  permissions: { net: true, env: true },
  injectables: [
    defineClientService(defaults) satisfies ServiceDefinition<Required<ClientOptions>>,
    pingPipe,
    searchPipe,
    addNotePipe,
  ],
});

export default plugin;
