/**
 * Fault injection for the emulator: HTTP 500s, slow answers and dropped connections between a
 * client and OTOBO, each before the operation runs, after it has done its work, or (for
 * TicketUpdate, which is not atomic) part-way through it.
 *
 * @module
 */
import { seededRandom } from "../_seeded_random.ts";

/** Which faults to inject, as shares of the requests that reach an operation. */
export interface FaultOptions {
  /** Share answered HTTP 500 with a fault, as OTOBO answers a crashed operation. */
  error?: number;
  /** Share answered only after `slow_ms`. */
  slow?: number;
  /** Share whose connection drops before the answer is complete. */
  drop?: number;
  /**
   * When an error or a drop hits: `before` the operation runs, `after` it did its work,
   * `partial` inside TicketUpdate (after the ticket fields, or after the article, were written;
   * other operations: after; `partial-ticket` and `partial-article` pick one), or `any` of
   * these at random (the default). A slow answer always comes after the work: OTOBO writes
   * first and then runs event handlers and notifications.
   */
  when?: "before" | "after" | "partial" | "partial-ticket" | "partial-article" | "any";
  /** How long a slow answer takes; default 2000 ms. */
  slow_ms?: number;
  /** Seed of the random choices, for runs that repeat; default 1. */
  seed?: number;
  /** Only requests to these operations; default all. */
  operations?: string[];
}

/** One fault to inject into one request. */
export interface Fault {
  /** What happens. */
  kind: "error" | "slow" | "drop";
  /** When it happens; `partial` names how far TicketUpdate gets. */
  when: "before" | "after" | "partial-ticket" | "partial-article";
}

/** Decides, request by request, which fault to inject. */
export class FaultPlan {
  #options: FaultOptions;
  #random: () => number;

  /**
   * Creates a plan.
   *
   * @param options The shares and timing of faults.
   */
  constructor(options: FaultOptions) {
    this.#options = options;
    this.#random = seededRandom(options.seed ?? 1);
  }

  /** How long a slow answer takes. */
  get slowMs(): number {
    return this.#options.slow_ms ?? 2000;
  }

  /**
   * The fault for the next request to an operation, if any.
   *
   * @param operation The operation type it reaches.
   * @returns The fault, or undefined.
   */
  next(operation: string): Fault | undefined {
    const { error = 0, slow = 0, drop = 0, operations } = this.#options;
    if (operations && !operations.includes(operation)) return undefined;
    const roll = this.#random();
    const kind = roll < error
      ? "error"
      : roll < error + slow
      ? "slow"
      : roll < error + slow + drop
      ? "drop"
      : undefined;
    if (!kind) return undefined;
    if (kind === "slow") return { kind, when: "after" };
    return { kind, when: this.#when(operation) };
  }

  #when(operation: string): Fault["when"] {
    const when = this.#options.when ?? "any";
    if (when === "partial-ticket" || when === "partial-article") {
      return operation === "TicketUpdate" ? when : "after";
    }
    const partial = operation === "TicketUpdate"
      ? (this.#random() < 0.5 ? "partial-ticket" : "partial-article")
      : "after";
    if (when === "partial") return partial;
    if (when !== "any") return when;
    const r = this.#random();
    return r < 1 / 3 ? "before" : r < 2 / 3 ? "after" : partial;
  }
}

/**
 * The answer of a dropped connection: headers, then the connection closes before the body
 * announced by Content-Length is complete, so the client gets no usable answer.
 *
 * @returns The response.
 */
export function droppedResponse(): Response {
  const part = new TextEncoder().encode('{"Tick');
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(part);
        controller.close();
      },
    }),
    { status: 200, headers: { "Content-Type": "application/json", "Content-Length": "4096" } },
  );
}
