/**
 * The ticket system a pipe of this plugin works on: the service injected as `tickets`.
 *
 * @module
 */
import type { PipeContext, ServiceProxy } from "@otai/cli/plugin";

/**
 * The ticket system injected into a step as `tickets`: an `otobo-znuny:Client` service, or any
 * other service with the same methods.
 *
 * @param ctx The pipe context.
 * @returns The service; every method is async.
 * @throws {Error} When the step injects no `tickets`, saying how to inject one.
 *
 * @example
 * ```ts
 * import { ticketSystem } from "./_tickets.ts";
 * import { throws } from "node:assert/strict";
 * const ctx = { services: {}, step: { id: "ping", runner: "r" } };
 * throws(() => ticketSystem(ctx as never), /no ticket system is injected as "tickets"/);
 * ```
 */
export function ticketSystem<P>(ctx: PipeContext<P>): ServiceProxy {
  const tickets = ctx.services.tickets;
  if (!tickets) {
    throw new Error(
      `Cannot run step "${ctx.step.id}": no ticket system is injected as "tickets"; add ` +
        `injects: { tickets: <id of an otobo-znuny:Client service> } to the step`,
    );
  }
  return tickets;
}
