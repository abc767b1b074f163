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
import { definePlugin, defineService, type PluginManifest } from "../../plugin.ts";
import { OtoboClient } from "./_client.ts";
import { clientParams } from "./_options.ts";
import { addNote, ping, search } from "./_pipes.ts";
import { createTicketSystem } from "./_ticket_system.ts";

export type { ClientOptions, NoteChannel } from "./_options.ts";

/** The TicketSystem over one OTOBO/Znuny web service, as one agent. */
const client = defineService({
  kind: "service",
  name: "Client",
  description: "OTOBO/Znuny/OTRS tickets over GenericTicketConnectorREST (a TicketSystem)",
  params: clientParams,
  create(params, ctx) {
    // Read inside the sandbox, so the grant needs this one variable only.
    const password = Deno.env.get(params.password_env);
    if (!password) {
      throw new Error(
        `Cannot create the OTOBO client: env var "${params.password_env}" is not set; set it ` +
          `to the password of agent "${params.user}"`,
      );
    }
    return createTicketSystem(new OtoboClient(params, password, ctx.log), params);
  },
});

/** The plugin manifest: the `Client` service and the `Ping`, `Search` and `AddNote` pipes. */
const plugin: PluginManifest = definePlugin({
  name: "otobo-znuny",
  version: "1.0.0",
  api: "^1.0",
  description: "Tickets from OTOBO, Znuny and OTRS over the GenericInterface REST API",
  permissions: { net: true, env: true },
  injectables: [client, ping, search, addNote],
});

export default plugin;
