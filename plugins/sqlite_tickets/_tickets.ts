/**
 * The `Tickets` service, and how the plugin's pipes reach the store injected into their step.
 *
 * @module
 */
import { z } from "zod";
import { defineService, type PipeContext, type ServiceDefinition } from "@otai/cli/plugin";
import { TicketStore } from "./_store.ts";

/**
 * The `Tickets` service as another plugin's code sees it through `ctx.services`: the methods
 * of {@linkcode TicketStore}, each async.
 */
export type TicketsService = {
  [K in "search" | "get" | "update" | "addNote" | "apply" | "importFile" | "history" | "revert"]: (
    ...args: Parameters<TicketStore[K]>
  ) => Promise<Awaited<ReturnType<TicketStore[K]>>>;
};

/** The `Tickets` params that have a default: the plugin's `defaults`. */
export interface TicketsDefaults {
  /** Who the history names for changes. */
  actor: string;
}

/** `Tickets` params with every default applied. */
type TicketsParams = z.output<ReturnType<typeof ticketsParams>>;

/**
 * Defines the ticket store service.
 *
 * @param defaults The values of the params a config leaves out.
 * @returns The `Tickets` service.
 *
 * @example
 * ```ts
 * import { defineTicketsService } from "./_tickets.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(defineTicketsService({ actor: "otai" }).name, "Tickets");
 * ```
 */
export function defineTicketsService(defaults: TicketsDefaults): ServiceDefinition<TicketsParams> {
  return defineService<TicketsParams>({
    kind: "service",
    name: "Tickets",
    description: "Tickets in a SQLite file, with change history, undo and processed markers",
    params: ticketsParams(defaults),
    create(params) {
      return new TicketStore(params.path, {
        actor: params.actor,
        ...(params.run === undefined ? {} : { run: params.run }),
      });
    },
  });
}

function ticketsParams(defaults: TicketsDefaults) {
  return z.object({
    path: z.string().min(1),
    actor: z.string().min(1).default(defaults.actor),
    run: z.string().min(1).optional(),
  });
}

/**
 * The ticket store injected into a step as `tickets`.
 *
 * @param ctx The pipe context.
 * @returns The store, as {@linkcode TicketsService}.
 * @throws {Error} When the step injects no `tickets`, saying how to inject one.
 *
 * @example
 * ```ts
 * import { ticketStore } from "./_tickets.ts";
 * import { throws } from "node:assert/strict";
 * const ctx = { services: {}, step: { id: "load", runner: "r" } };
 * throws(() => ticketStore(ctx as never), /no ticket store is injected as "tickets"/);
 * ```
 */
export function ticketStore<P>(ctx: PipeContext<P>): TicketsService {
  const service = ctx.services.tickets;
  if (!service) {
    throw new Error(
      `Cannot run step "${ctx.step.id}": no ticket store is injected as "tickets"; add ` +
        "injects: { tickets: <id of a sqlite-tickets:Tickets service> } to the step",
    );
  }
  return service as unknown as TicketsService;
}

/**
 * A copy of an object without the keys whose value is undefined, so that optional params are
 * passed on only when given.
 *
 * @param value The object.
 * @returns The copy.
 *
 * @example
 * ```ts
 * import { defined } from "./_tickets.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(defined({ run: "r1", since: undefined }), { run: "r1" });
 * ```
 */
export function defined<T extends object>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
