/**
 * A sandbox's requests in flight: each waits for its `done`; messages go out in one batch per
 * tick; while a timed-out pipe may still run, new requests are held back, and a sandbox stopped
 * meanwhile fails them as never sent (so a new sandbox can take them).
 *
 * @module
 */
import type { DoneMessage, HostMessage } from "./protocol.ts";
import { failed } from "./_replies.ts";

/** The error name of a request that a stopped sandbox never received (safe to send again). */
export const NOT_SENT = "NotSent";

/** The requests of one sandbox life. */
export class Requests {
  #post: (batch: HostMessage[]) => void;
  #outbox: HostMessage[] = [];
  #pending = new Map<number, (m: DoneMessage) => void>();
  #held: (HostMessage & { id: number })[] | undefined;
  #nextId = 1;
  #dead: string | undefined;

  /** Requests whose batches go out through `post`. */
  constructor(post: (batch: HostMessage[]) => void) {
    this.#post = post;
  }

  /** How many requests wait for their `done`. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** A fresh id. */
  id(): number {
    return this.#nextId++;
  }

  /** Sends a request; resolves with its `done` (or a failure, once the sandbox is stopped). */
  request(msg: HostMessage & { id: number }): Promise<DoneMessage> {
    if (this.#dead) {
      const message = `the plugin is not running: ${this.#dead}`;
      return Promise.resolve(failed(msg.id, { name: "Error", message }));
    }
    return new Promise((resolve) => {
      this.#pending.set(msg.id, resolve);
      if (this.#held) this.#held.push(msg);
      else this.send(msg);
    });
  }

  /** Sends a message with the others of this tick. */
  send(msg: HostMessage): void {
    if (this.#dead) return;
    if (this.#outbox.push(msg) === 1) {
      queueMicrotask(() => {
        if (!this.#dead) this.#post(this.#outbox.splice(0));
      });
    }
  }

  /** A request's `done` arrived. */
  done(msg: DoneMessage): void {
    const resolve = this.#pending.get(msg.id);
    this.#pending.delete(msg.id);
    resolve?.(msg);
  }

  /**
   * Request `id` timed out while it may still run: later requests are held back until it
   * answers after all (then `ended` runs and they are sent). Returns false when it is not in
   * flight.
   */
  holdBehind(id: number, ended: () => void): boolean {
    if (!this.#pending.has(id)) return false;
    this.#held ??= [];
    this.#pending.set(id, () => {
      ended();
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const msg of held) this.send(msg);
    });
    return true;
  }

  /** Forgets request `id`. */
  forget(id: number): void {
    this.#pending.delete(id);
  }

  /** The sandbox stopped: every request in flight fails with `reason` (held ones as not sent). */
  stop(reason: string): void {
    this.#dead = reason;
    const held = new Set((this.#held ?? []).map((m) => m.id));
    this.#held = undefined;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [id, resolve] of pending) {
      resolve(failed(id, { name: held.has(id) ? NOT_SENT : "Error", message: reason }));
    }
  }
}
