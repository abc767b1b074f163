/**
 * The `Client` service: otai's TicketSystem over one OTOBO/Znuny web service, as one agent.
 *
 * @module
 */
import { defineService, type ServiceDefinition } from "@otai/cli/plugin";
import { type ClientDefaults, clientParams, type ResolvedOptions } from "./_options.ts";
import { OtoboClient } from "./_otobo_client.ts";
import { createTicketSystem } from "./_ticket_system.ts";

/**
 * Defines the `Client` service. It reads the agent's password from the environment variable
 * the params name, inside the sandbox, so the grant needs that one variable only.
 *
 * @param defaults The values of the params a config leaves out.
 * @returns The service definition.
 *
 * @example
 * ```ts
 * import { defineClientService } from "./_client.ts";
 * import { defaults } from "./mod.ts";
 * import { strictEqual } from "node:assert/strict";
 * const client = defineClientService(defaults);
 * strictEqual(client.name, "Client");
 * ```
 */
export function defineClientService(defaults: ClientDefaults): ServiceDefinition<ResolvedOptions> {
  return defineService({
    kind: "service",
    name: "Client",
    description: "OTOBO/Znuny/OTRS tickets over GenericTicketConnectorREST (a TicketSystem)",
    params: clientParams(defaults),
    create(params, ctx) {
      const password = Deno.env.get(params.password_env);
      if (!password) {
        throw new Error(
          `Cannot create the OTOBO client: env var "${params.password_env}" is not set; set it ` +
            `to the password of agent "${params.user}"`,
        );
      }
      return createTicketSystem(new OtoboClient(params, password, ctx.log), params, ctx.log);
    },
  });
}
