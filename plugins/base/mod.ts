/**
 * `base`: the generic pipes every config needs. Ticket pipes (`FetchTickets`, `UpdateTicket`,
 * `UpdateTickets`, `AddNote`) work on any ticket system injected as `tickets`; the others
 * (`Filter`, `Set`, `Log`, `Tally`, `Report`) shape data between steps. It asks for no
 * permissions.
 *
 * ```yaml
 * plugins:
 *   - from: ./plugins/base/mod.ts
 * orchestrator:
 *   runners:
 *     - id: triage
 *       run:
 *         - id: fetch
 *           use: base:FetchTickets
 *           injects: { tickets: tickets }
 *           params: { queue: Inbox, unprocessed: triage }
 *         - id: each
 *           for_each: "${{ steps.fetch.data.tickets }}"
 *           steps:
 *             - id: move
 *               use: base:UpdateTicket
 *               injects: { tickets: tickets }
 *               params: { id: "${{ item.id }}", changes: { queue: IT }, mark: triage }
 * ```
 *
 * @example
 * ```ts
 * import plugin from "./mod.ts";
 * import { testPipe } from "@otai/cli/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const result = await testPipe(plugin, "Tally", {
 *   params: { items: [{ queue: "IT" }, { queue: "IT" }, {}], by: "queue" },
 * });
 * deepStrictEqual(result, {
 *   status: "succeeded",
 *   data: { total: 3, counts: { IT: 2, "(none)": 1 } },
 * });
 * ```
 *
 * @module
 */
import { definePlugin, type PluginManifest } from "@otai/cli/plugin";
import { addNotePipe } from "./_add_note.ts";
import { fetchTicketsPipe } from "./_fetch_tickets.ts";
import { filterPipe } from "./_filter.ts";
import { logPipe } from "./_log.ts";
import { reportPipe } from "./_report.ts";
import { setPipe } from "./_set.ts";
import { tallyPipe } from "./_tally.ts";
import { updateTicketPipe } from "./_update_ticket.ts";
import { updateTicketsPipe } from "./_update_tickets.ts";

export type { Ticket, TicketChanges, TicketNote } from "@otai/cli/plugin";
export type { FetchTicketsResult } from "./_fetch_tickets.ts";
export type { FilterResult } from "./_filter.ts";
export type { TallyResult } from "./_tally.ts";
export type { TicketUpdate, UpdateOutcome } from "./_apply.ts";
export type { UpdateTicketsResult } from "./_update_tickets.ts";

/** The plugin manifest: the ticket pipes and the data pipes. */
const plugin: PluginManifest = definePlugin({
  name: "base",
  version: "1.0.0",
  api: "^1.0",
  description:
    "Generic pipes: fetch and update tickets on any ticket system, filter, tally, report",
  permissions: {},
  injectables: [
    fetchTicketsPipe,
    updateTicketPipe,
    updateTicketsPipe,
    addNotePipe,
    filterPipe,
    setPipe,
    logPipe,
    tallyPipe,
    reportPipe,
  ],
});

export default plugin;
