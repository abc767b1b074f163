/**
 * Events: what the host tells subscribed plugins about runs and tickets. Every event is plain
 * data, made by the host where it observes what happened (never by a plugin's say-so), and
 * delivered to each subscriber in its own sandbox (see `events` in `PluginManifest`).
 *
 * @module
 */
/** A runner cycle began. */
export interface RunnerStartedEvent {
  /** Always `"runner.started"`. */
  type: "runner.started";
  /** The runner id. */
  runner: string;
  /** Which cycle of the runner, from 1. */
  cycle: number;
  /** When (ISO 8601). */
  at: string;
}

/** A runner cycle ended. */
export interface RunnerFinishedEvent {
  /** Always `"runner.finished"`. */
  type: "runner.finished";
  /** The runner id. */
  runner: string;
  /** Which cycle of the runner, from 1. */
  cycle: number;
  /** How the cycle ended, as in the results document. */
  status: "succeeded" | "failed" | "stopped";
  /** How long the cycle took. */
  duration_ms: number;
  /** When (ISO 8601). */
  at: string;
}

/** A step failed (inside a `for_each`: one item's sub-step, with the item's index). */
export interface StepFailedEvent {
  /** Always `"step.failed"`. */
  type: "step.failed";
  /** The runner id. */
  runner: string;
  /** Which cycle of the runner, from 1. */
  cycle: number;
  /** The step id. */
  step: string;
  /** The error, secrets redacted. */
  error: string;
  /** The item's index, when the step is a sub-step of a `for_each`. */
  index?: number;
  /** When (ISO 8601). */
  at: string;
}

/**
 * A ticket changed: a call of `update`, `addNote` or `apply` (its first argument the ticket
 * id) on a ticket-system service succeeded, as the host saw it when routing the call.
 */
export interface TicketUpdatedEvent {
  /** Always `"ticket.updated"`. */
  type: "ticket.updated";
  /** The service id in the config. */
  service: string;
  /** The ticket id. */
  ticket: string;
  /** The method that changed it. */
  method: "update" | "addNote" | "apply";
  /** The method's second argument (the changes, the note, or what to apply), secrets redacted. */
  changes?: unknown;
  /** When (ISO 8601). */
  at: string;
}

/** Every event, by its `type`. */
export interface EventMap {
  /** A runner cycle began. */
  "runner.started": RunnerStartedEvent;
  /** A runner cycle ended. */
  "runner.finished": RunnerFinishedEvent;
  /** A step failed. */
  "step.failed": StepFailedEvent;
  /** A ticket changed. */
  "ticket.updated": TicketUpdatedEvent;
}

/** The name of an event, e.g. `"step.failed"`. */
export type EventType = keyof EventMap;

/** Any event. */
export type OtaiEvent = EventMap[EventType];

/** The event types otai emits, in a stable order. */
export const EVENT_TYPES: readonly EventType[] = [
  "runner.started",
  "runner.finished",
  "step.failed",
  "ticket.updated",
];
