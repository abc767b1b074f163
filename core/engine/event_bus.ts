import { getLogger } from "@logtape/logtape";
import type { WireError } from "../contract.ts";
import type { EventType, OtaiEvent } from "../events.ts";
import type { PluginHandle } from "../registry.ts";
import { formatMs } from "../duration.ts";
import { explainError, type Locate } from "./_explain.ts";

const log = getLogger(["otai", "events"]);

/** How events went for one subscriber. */
export interface EventStats {
  /** Events its handlers finished. */
  delivered: number;
  /** Events whose handler threw or ran out of time. */
  failed: number;
  /** Events never handed to it: its queue was full, or otai stopped first. */
  dropped: number;
}

/** Options for {@linkcode EventBus}. */
export interface EventBusOptions {
  /** Where config paths sit, for messages. */
  locate: Locate;
  /** Events a subscriber's queue holds at most (default 1000). */
  capacity?: number;
  /** How long a handler may take (default 10 s). */
  timeoutMs?: number;
  /** Redacts secrets from an event before any plugin sees it. */
  redact?: <T>(value: T) => T;
}

interface Subscriber {
  plugin: PluginHandle;
  types: ReadonlySet<string>;
  queue: OtaiEvent[];
  busy: Promise<void> | undefined;
  stats: EventStats;
  /** Of the dropped events, those that found the queue full. */
  full: number;
}

/**
 * Delivers events to the plugins that subscribe to them. `emit` never waits and never throws:
 * each subscriber has a bounded queue, drained one event at a time into its own sandbox, so a
 * slow, hanging or failing handler delays only that subscriber's later events, never a runner.
 */
export class EventBus {
  #subscribers: Subscriber[];
  #capacity: number;
  #timeoutMs: number;
  #redact: <T>(value: T) => T;
  #locate: Locate;
  #closed = false;

  /** A bus for the plugins whose manifests have event handlers. */
  constructor(plugins: readonly PluginHandle[], options: EventBusOptions) {
    this.#locate = options.locate;
    this.#capacity = options.capacity ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#redact = options.redact ?? ((v) => v);
    this.#subscribers = plugins.flatMap((plugin) =>
      plugin.manifest.events?.length && plugin.runtime.lifecycle
        ? [{
          plugin,
          types: new Set<string>(plugin.manifest.events),
          queue: [],
          busy: undefined,
          stats: { delivered: 0, failed: 0, dropped: 0 },
          full: 0,
        }]
        : []
    );
  }

  /** Whether any plugin subscribes to `type`. */
  wants(type: EventType): boolean {
    return this.#subscribers.some((s) => s.types.has(type));
  }

  /** Queues an event for each of its subscribers; a full queue drops it and counts the drop. */
  emit(event: OtaiEvent): void {
    let redacted: OtaiEvent | undefined;
    for (const s of this.#subscribers) {
      if (!s.types.has(event.type)) continue;
      if (this.#closed || s.queue.length >= this.#capacity) {
        s.stats.dropped++;
        if (!this.#closed) s.full++;
        continue;
      }
      redacted ??= this.#redact(event);
      // Each its own copy: a plugin in the host process (isolation: none) shares no object.
      s.queue.push(structuredClone(redacted));
      s.busy ??= this.#pump(s);
    }
  }

  /**
   * Waits until every queued event was handled, for at most `timeoutMs`; then delivers no more
   * (what is left counts as dropped) and logs each subscriber's drops.
   */
  async drain(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => timer = setTimeout(resolve, timeoutMs));
    const busy = () => this.#subscribers.flatMap((s) => (s.busy ? [s.busy] : []));
    await Promise.race([Promise.all(busy()), late]);
    clearTimeout(timer);
    this.#closed = true;
    for (const s of this.#subscribers) {
      s.stats.dropped += s.queue.splice(0).length;
      if (!s.stats.dropped) continue;
      log.warn(
        "Plugin {plugin} missed {dropped} event(s): {full} arrived while its queue of " +
          "{capacity} was full, {late} were not handled before otai stopped ({wait} into the " +
          "shutdown)",
        {
          plugin: s.plugin.prefix,
          dropped: s.stats.dropped,
          full: s.full,
          capacity: this.#capacity,
          late: s.stats.dropped - s.full,
          wait: formatMs(timeoutMs),
        },
      );
    }
  }

  /** How events went, by the prefix of each subscribing plugin. */
  stats(): Map<string, EventStats> {
    return new Map(this.#subscribers.map((s) => [s.plugin.prefix, { ...s.stats }]));
  }

  async #pump(s: Subscriber): Promise<void> {
    // Started from emit(): the runner that emitted goes on before any handler runs.
    await Promise.resolve();
    while (s.queue.length && !this.#closed) {
      const event = s.queue.shift()!;
      const outcome = await s.plugin.runtime.lifecycle!({ hook: "event", event }, this.#timeoutMs)
        .catch((e: Error) => ({ status: "failed", error: { name: "Error", message: e.message } }));
      if (outcome.status !== "failed") {
        s.stats[outcome.status === "succeeded" ? "delivered" : "dropped"]++;
        continue;
      }
      s.stats.failed++;
      log.warn("Plugin {plugin} failed to handle the event {event}: {error}", {
        plugin: s.plugin.prefix,
        event: event.type,
        error: this.#redact(explainError(s.plugin, outcome.error as WireError, this.#locate)),
      });
    }
    s.busy = undefined;
  }
}
