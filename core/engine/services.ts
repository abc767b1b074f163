import { getLogger } from "@logtape/logtape";
import type { ServiceCall, WireError } from "../contract.ts";
import type { PlannedService } from "../plan.ts";
import type { PluginHandle } from "../registry.ts";
import type { TicketUpdatedEvent } from "../events.ts";
import { explainError, type Locate } from "./_explain.ts";

const log = getLogger(["otai", "engine"]);

/**
 * The services of a config: creates each in its plugin's sandbox (dependencies first) and
 * routes calls from other sandboxes to it. It exists before any plugin is started, so that
 * sandboxes can be handed its `call` from the start; until a service is created, calls to it
 * fail with a message.
 */
export class ServiceHost {
  #locate: Locate;
  /** Redacts secrets from a message before it is logged or handed to a step. */
  redact: (text: string) => string = (text) => text;
  /** Called after a ticket-system call changed a ticket (see {@linkcode ticketUpdated}). */
  onTicketUpdated: ((event: TicketUpdatedEvent) => void) | undefined;
  #services = new Map<string, { plugin: PluginHandle; failed?: string }>();

  /** Creates an empty host; `locate` places config paths for messages. */
  constructor(locate: Locate) {
    this.#locate = locate;
  }

  /** Creates every service, in order; a failed one fails only the steps that inject it. */
  async create(services: readonly PlannedService[]): Promise<void> {
    for (const s of services) {
      const plugin = s.entry.plugin;
      if (Object.values(s.injects).some((d) => this.#services.get(d)?.failed)) {
        this.#services.set(s.id, { plugin, failed: `a service it injects failed` });
        continue;
      }
      try {
        await plugin.runtime.create(s.id, s.entry.name, s.params, s.injects);
        this.#services.set(s.id, { plugin });
      } catch (e) {
        const failed = this.redact(
          `service "${s.id}" (${s.entry.key}) could not be created: ` +
            explainError(plugin, e as WireError, this.#locate),
        );
        log.error("{failed}", { failed });
        this.#services.set(s.id, { plugin, failed });
      }
    }
  }

  /** Why a service could not be created, or undefined when it was. */
  failure(id: string): string | undefined {
    return this.#services.get(id)?.failed;
  }

  /** Services that could not be created, by id, with the reason. */
  failed(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, s] of this.#services) if (s.failed) out.set(id, s.failed);
    return out;
  }

  /**
   * Closes every created service in its sandbox, the last created first (a service before the
   * ones it injects), each within `timeoutMs`; a failure is logged as a warning naming the
   * plugin and the service.
   */
  async close(timeoutMs: number): Promise<void> {
    for (const [id, s] of [...this.#services].reverse()) {
      if (s.failed) continue;
      const o = await s.plugin.runtime.lifecycle?.({ hook: "close", instance: id }, timeoutMs);
      if (o?.status !== "failed") continue;
      log.warn("Plugin {plugin}: service {service} did not close: {error}", {
        plugin: s.plugin.prefix,
        service: id,
        error: this.redact(explainError(s.plugin, o.error, this.#locate)),
      });
    }
  }

  /** Routes a service call from one sandbox to the sandbox that holds the service. */
  async call(call: ServiceCall): Promise<unknown> {
    const s = this.#services.get(call.instance);
    if (!s) throw new Error(`no service "${call.instance}"`);
    if (s.failed) throw new Error(s.failed);
    let value: unknown;
    try {
      value = await s.plugin.runtime.invoke(
        call.instance,
        call.method,
        call.args,
        call.deadline === undefined ? {} : { deadline: call.deadline },
      );
    } catch (e) {
      throw new Error(
        `service "${call.instance}" failed in ${call.method}(): ` +
          explainError(s.plugin, e as WireError, this.#locate),
      );
    }
    const event = this.onTicketUpdated && ticketUpdated(call, value);
    if (event) this.onTicketUpdated!(event);
    return value;
  }
}

const TICKET_METHODS = new Set(["update", "addNote", "apply"]);

/**
 * The `ticket.updated` event of a service call that succeeded, when it is one that changes a
 * ticket: `update`, `addNote` or `apply` with the ticket id first (an `apply` that answers
 * `applied: false` changed nothing). The host saw the call succeed; no plugin says so.
 *
 * @param call The call.
 * @param value What the service answered.
 * @returns The event, or undefined.
 */
export function ticketUpdated(call: ServiceCall, value: unknown): TicketUpdatedEvent | undefined {
  const [id, changes] = call.args;
  if (!TICKET_METHODS.has(call.method)) return undefined;
  if (typeof id !== "string" && typeof id !== "number") return undefined;
  if ((value as { applied?: unknown } | null)?.applied === false) return undefined;
  return {
    type: "ticket.updated",
    service: call.instance,
    ticket: String(id),
    method: call.method as TicketUpdatedEvent["method"],
    ...(changes === undefined ? {} : { changes }),
    at: new Date().toISOString(),
  };
}
