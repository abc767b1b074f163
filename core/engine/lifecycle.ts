/**
 * The plugins' lives around the runners: every manifest's `start()` at once before any step;
 * at shutdown, events drained, services closed and every `stop()` run, each within a bound that
 * a hanging plugin cannot stretch, then every sandbox stopped.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { ConfigError } from "../errors.ts";
import type { PluginHandle } from "../registry.ts";
import { explainError, type Locate } from "./_explain.ts";
import { EventBus } from "./event_bus.ts";
import type { ServiceHost } from "./services.ts";

const log = getLogger(["otai", "lifecycle"]);

/** How long a manifest's `start()` may take. */
export const START_TIMEOUT_MS = 30_000;

/** How long a manifest's `stop()`, or a service's close, may take at shutdown. */
export const STOP_TIMEOUT_MS = 5_000;

/** How long event handlers may go on at shutdown. */
export const DRAIN_TIMEOUT_MS = 2_000;

/** Options for {@linkcode Lifecycle}. */
export interface LifecycleOptions {
  /** Where config paths sit, for messages. */
  locate: Locate;
  /** The config's services, closed at shutdown. */
  services: ServiceHost;
  /** Redacts secrets from a message. */
  redactText: (text: string) => string;
  /** Redacts secrets from plain data (an event). */
  redactValue: <T>(value: T) => T;
  /** Stops every sandbox, at the end of the shutdown. */
  terminate: () => void;
}

/** The lifecycle of a config's plugins: start once, shut down once. */
export class Lifecycle {
  /** Where the engine's and the ticket systems' events go. */
  readonly events: EventBus;
  #plugins: readonly PluginHandle[];
  #options: LifecycleOptions;
  #starting: Promise<void> | undefined;
  #started: PluginHandle[] = [];
  #ending: Promise<void> | undefined;

  /** The lifecycle of `plugins`; ticket-system calls become events when a plugin wants them. */
  constructor(plugins: readonly PluginHandle[], options: LifecycleOptions) {
    this.#plugins = plugins;
    this.#options = options;
    this.events = new EventBus(plugins, { locate: options.locate, redact: options.redactValue });
    if (this.events.wants("ticket.updated")) {
      options.services.onTicketUpdated = (event) => this.events.emit(event);
    }
  }

  /**
   * Runs every plugin's `start()` in its sandbox, all at once, each within 30 s; later calls
   * wait for the first.
   *
   * @throws {ConfigError} Naming each plugin whose `start()` failed (the others are stopped
   * again and every sandbox is stopped first).
   */
  start(): Promise<void> {
    return this.#starting ??= this.#start();
  }

  /**
   * Shuts down once: event handlers may finish (2 s), services are closed (the last created
   * first, 5 s each), the started plugins' `stop()` run (5 s), then every sandbox is stopped.
   * A failure or timeout is logged as a warning naming the plugin; it never stops the others.
   */
  shutdown(): Promise<void> {
    return this.#ending ??= this.#shutdown();
  }

  async #start(): Promise<void> {
    const outcomes = await Promise.all(
      this.#plugins.map((p) => p.runtime.lifecycle?.({ hook: "start" }, START_TIMEOUT_MS)),
    );
    const { locate, redactText } = this.#options;
    const problems = this.#plugins.flatMap((plugin, i) => {
      const o = outcomes[i];
      if (o?.status !== "failed") {
        this.#started.push(plugin);
        return [];
      }
      const why = explainError(plugin, o.error, locate);
      return [{
        ...locate(["plugins", plugin.index, "from"]),
        path: `plugins[${plugin.index}]`,
        message: redactText(`Cannot start plugin "${plugin.prefix}": start failed: ${why}`),
      }];
    });
    if (!problems.length) return;
    await this.shutdown();
    throw new ConfigError(problems);
  }

  async #shutdown(): Promise<void> {
    const { locate, redactText } = this.#options;
    try {
      await this.events.drain(DRAIN_TIMEOUT_MS);
      await this.#options.services.close(STOP_TIMEOUT_MS);
      await Promise.all(this.#started.map(async (plugin) => {
        const o = await plugin.runtime.lifecycle?.({ hook: "stop" }, STOP_TIMEOUT_MS);
        if (o?.status !== "failed") return;
        log.warn("Plugin {plugin}: its stop() failed: {error}", {
          plugin: plugin.prefix,
          error: redactText(explainError(plugin, o.error, locate)),
        });
      }));
    } finally {
      this.#options.terminate();
    }
  }
}
