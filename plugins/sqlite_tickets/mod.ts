/**
 * `sqlite-tickets`: the embedded default ticket system. Tickets live in one SQLite file; every
 * change is recorded with its actor and run, so a run can be audited and undone; a processed
 * marker per ticket lets a restarted run skip what it already did.
 *
 * Grant it the directory that holds the db file (SQLite keeps its journal files beside it):
 *
 * ```yaml
 * plugins:
 *   - from: ./plugins/sqlite_tickets/mod.ts
 *     permissions: { read: ["./data"], write: ["./data"] }
 * services:
 *   - { id: tickets, use: "sqlite-tickets:Tickets", params: { path: ./data/tickets.db } }
 * orchestrator:
 *   runners:
 *     - id: load
 *       run:
 *         id: import
 *         use: sqlite-tickets:Import
 *         injects: { tickets: tickets }
 *         params: { path: ./data/tickets.csv }
 * ```
 *
 * @example
 * ```ts
 * import plugin from "./mod.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(plugin.injectables.map((i) => `${plugin.name}:${i.name}`), [
 *   "sqlite-tickets:Tickets",
 *   "sqlite-tickets:Import",
 *   "sqlite-tickets:Revert",
 *   "sqlite-tickets:History",
 * ]);
 * ```
 *
 * @module
 */
import { z } from "zod";
import { definePipe, definePlugin, defineService, type PipeContext } from "../../plugin.ts";
import { TicketStore } from "./_store.ts";

export type {
  Ticket,
  TicketChanges,
  TicketNote,
  TicketSearch,
  TicketSystem,
} from "../../plugin.ts";
export type { ImportFormat } from "./_records.ts";
export type { RevertCounts } from "./_revert.ts";
export type { ImportResult } from "./_import.ts";
export type { TicketStore, TicketStoreOptions } from "./_store.ts";
export type {
  ApplyAction,
  ApplyResult,
  HistoryQuery,
  HistoryRow,
  RevertQuery,
  RevertResult,
  RunOptions,
  TicketQuery,
} from "./_types.ts";

/**
 * The `Tickets` service as another plugin's code sees it through `ctx.services`: the methods
 * of {@linkcode TicketStore}, each async.
 */
export type TicketsService = {
  [K in "search" | "get" | "update" | "addNote" | "apply" | "importFile" | "history" | "revert"]: (
    ...args: Parameters<TicketStore[K]>
  ) => Promise<Awaited<ReturnType<TicketStore[K]>>>;
};

const MAX_LIMIT = 10_000;
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'must be an ISO 8601 time like "2024-05-01T12:00:00Z"',
});

const serviceParams = z.object({
  path: z.string().min(1),
  actor: z.string().min(1).default("otai"),
  run: z.string().min(1).optional(),
});

const importParams = z.object({
  path: z.string().min(1),
  format: z.enum(["csv", "jsonl"]).optional(),
  only_new: z.boolean().optional(),
});

const revertParams = z.object({ run: z.string().min(1).optional(), since: time.optional() })
  .refine((p) => p.run !== undefined || p.since !== undefined, {
    message: "give run (a run id from History) or since (an ISO 8601 time)",
  });

const historyParams = z.object({
  ticket: z.string().min(1).optional(),
  run: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
});

/** The ticket store service. */
const tickets = defineService<z.output<typeof serviceParams>>({
  kind: "service",
  name: "Tickets",
  description: "Tickets in a SQLite file, with change history, undo and processed markers",
  params: serviceParams,
  create(params) {
    return new TicketStore(params.path, {
      actor: params.actor,
      ...(params.run === undefined ? {} : { run: params.run }),
    });
  },
});

/** Imports a CSV or JSONL file into the injected store. */
const importPipe = definePipe<z.output<typeof importParams>>({
  kind: "pipe",
  name: "Import",
  description: "Imports tickets from a CSV or JSONL file into the injected tickets store",
  params: importParams,
  async run(ctx) {
    const { path, format, only_new } = ctx.params;
    return await store(ctx).importFile(path, {
      ...(format === undefined ? {} : { format }),
      ...(only_new === undefined ? {} : { only_new }),
    });
  },
});

/** Undoes a run's changes, or the changes since a time. */
const revertPipe = definePipe<z.output<typeof revertParams>>({
  kind: "pipe",
  name: "Revert",
  description: "Undoes the changes of a run, or since a time, in the injected tickets store",
  params: revertParams,
  async run(ctx) {
    return await store(ctx).revert(defined(ctx.params));
  },
});

/** Lists recorded changes. */
const historyPipe = definePipe<z.output<typeof historyParams>>({
  kind: "pipe",
  name: "History",
  description: "Lists recorded changes (newest first) of the injected tickets store",
  params: historyParams,
  async run(ctx) {
    return { rows: await store(ctx).history(defined(ctx.params)) };
  },
});

/** The plugin: the `Tickets` service and the `Import`, `Revert` and `History` pipes. */
export default definePlugin({
  name: "sqlite-tickets",
  version: "1.0.0",
  api: "^1.0",
  description: "The embedded ticket system: tickets in a SQLite file, with history and undo",
  permissions: { read: true, write: true },
  injectables: [tickets, importPipe, revertPipe, historyPipe],
});

function store<P>(ctx: PipeContext<P>): TicketsService {
  const service = ctx.services.tickets;
  if (!service) {
    throw new Error(
      `Cannot run step "${ctx.step.id}": no ticket store is injected as "tickets"; add ` +
        "injects: { tickets: <id of a sqlite-tickets:Tickets service> } to the step",
    );
  }
  return service as unknown as TicketsService;
}

/** The params without keys whose value is undefined. */
function defined<T extends object>(params: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as never;
}
