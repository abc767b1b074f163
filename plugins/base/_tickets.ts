/**
 * The ticket system a ticket pipe works on: the service injected as `tickets`.
 *
 * @module
 */
import type { PipeContext, ServiceProxy } from "@otai/cli/plugin";

/**
 * The ticket system injected into a step as `tickets`.
 *
 * @param ctx The pipe context.
 * @returns The service; every method is async.
 * @throws {Error} When the step injects no `tickets`, saying how to inject one.
 */
export function ticketSystem<P>(ctx: PipeContext<P>): ServiceProxy {
  const service = ctx.services.tickets;
  if (!service) {
    throw new Error(
      `Cannot run step "${ctx.step.id}": no ticket system is injected as "tickets"; add ` +
        "injects: { tickets: <id of a ticket-system service> } to the step",
    );
  }
  return service;
}

/**
 * A copy of an object without the keys whose value is undefined, so that optional params are
 * passed on only when given.
 *
 * @param value The object.
 * @returns The copy.
 */
export function defined<T extends object>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
