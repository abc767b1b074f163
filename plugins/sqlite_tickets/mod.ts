/**
 * `sqlite-tickets`: the embedded default ticket system. Tickets live in one SQLite file; every
 * change is recorded with its actor and run, so a run can be audited and undone; a processed
 * marker per ticket lets a restarted run skip what it already did.
 *
 * Grant it the directory that holds the db file (SQLite keeps its journal files beside it):
 *
 * ```yaml
 * plugins:
 *   - from: jsr:@otai/sqlite-tickets@^1.0
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
import { definePlugin, type PluginManifest, type ServiceDefinition } from "@otai/cli/plugin";
import { historyPipe } from "./_history.ts";
import { importPipe } from "./_import.ts";
import { revertPipe } from "./_revert.ts";
import { defineTicketsService } from "./_tickets.ts";

export type {
  Ticket,
  TicketChanges,
  TicketNote,
  TicketSearch,
  TicketSystem,
} from "@otai/cli/plugin";
export type { ImportFormat } from "./_records.ts";
export type { RevertCounts } from "./_revert_rows.ts";
export type { ImportResult } from "./_import_text.ts";
export type { TicketStore, TicketStoreOptions } from "./_store.ts";
export type { TicketsService } from "./_tickets.ts";
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

/** Params of the `Tickets` service, as a config writes them. */
export interface TicketsOptions {
  /** The db file; its directory must be writable (SQLite keeps its journal files there). */
  path: string;
  /** Who the history names for changes. */
  actor?: string | undefined;
  /** The run id of changes that name none (default: a new id per store). */
  run?: string | undefined;
}

/** Defaults for the optional params. */
export const defaults = { actor: "otai" } satisfies Partial<TicketsOptions>;

/** The plugin: the `Tickets` service and the `Import`, `Revert` and `History` pipes. */
const plugin: PluginManifest = definePlugin({
  name: "sqlite-tickets",
  version: "1.0.0",
  api: "^1.0",
  description: "The embedded ticket system: tickets in a SQLite file, with history and undo",
  permissions: { read: true, write: true },
  injectables: [
    defineTicketsService(defaults) satisfies ServiceDefinition<TicketsOptions>,
    importPipe,
    revertPipe,
    historyPipe,
  ],
});

export default plugin;
