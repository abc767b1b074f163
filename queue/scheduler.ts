/**
 * The scheduler's side of queue mode: `otai run` hands each item of a `for_each` with
 * `distribute: true` to the queue of that step (`otai:<runner>.<step>` in Redis) and gathers
 * the outcomes, which the engine counts as it counts its own.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import type { QueueSettings } from "../core/config/compile_config.ts";
import type { Distribute, DistributedLoop, RemoteLoop } from "../core/engine/distribute.ts";
import { bullmq } from "./_bullmq.ts";
import { PREFIX, queueName } from "./_names.ts";
import { type QueuePair, RemoteItems } from "./_remote_items.ts";
import { connectionOptions } from "./connect_queue.ts";
import { redactUrl } from "./queue_url.ts";

/** Options for {@linkcode QueueScheduler}. */
export interface QueueSchedulerOptions extends QueueSettings {
  /** This process's plugin graph hashes by prefix, sent with every job. */
  hashes: Record<string, string>;
}

const log = getLogger(["otai", "queue"]);
/** How long opening a loop's queue may wait for Redis (it was there at start). */
const OPEN_TIMEOUT_MS = 30_000;

/**
 * Distributes `for_each` items over a Redis queue; dispose of it to close its connections.
 *
 * @example
 * ```ts ignore
 * import { QueueScheduler } from "./scheduler.ts";
 * await using scheduler = new QueueScheduler({ url: "redis://127.0.0.1:6379", hashes: {} });
 * await app.run({ distribute: scheduler.distribute });
 * ```
 */
export class QueueScheduler implements AsyncDisposable {
  #options: QueueSchedulerOptions;
  #pairs = new Map<string, Promise<QueuePair>>();

  /** Creates the scheduler; it connects on the first distributed loop. */
  constructor(options: QueueSchedulerOptions) {
    this.#options = options;
  }

  /** The engine's hook: opens a distributed loop on its step's queue. */
  readonly distribute: Distribute = async (loop: DistributedLoop): Promise<RemoteLoop> => {
    const name = queueName(loop.runner, loop.step);
    let pair = this.#pairs.get(name);
    if (!pair) this.#pairs.set(name, pair = this.#open(name));
    log.info("Distributing the items of {runner}.{step} on queue {queue} at {url}", {
      runner: loop.runner,
      step: loop.step,
      queue: `${PREFIX}:${name}`,
      url: redactUrl(this.#options.url),
    });
    const { hashes, attempts = 3, retryDelayMs = 1000, idleMs = 120_000 } = this.#options;
    return new RemoteItems(await pair, loop, hashes, { attempts, retryDelayMs, idleMs });
  };

  async #open(name: string): Promise<QueuePair> {
    const { Queue, QueueEvents, Job } = await bullmq();
    const connection = connectionOptions(this.#options.url);
    const queue = new Queue(name, { prefix: PREFIX, connection });
    const events = new QueueEvents(name, { prefix: PREFIX, connection });
    const warn = (e: Error) =>
      log.warn("Queue {queue}: {error}", { queue: name, error: redactUrl(e.message) });
    queue.on("error", warn);
    events.on("error", warn);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void events.close().catch(() => {});
        void queue.close().catch(() => {});
        reject(
          new Error(
            `Cannot reach the queue's Redis at ${redactUrl(this.#options.url)} ` +
              `within ${OPEN_TIMEOUT_MS / 1000} s; check that redis-server runs and is reachable`,
          ),
        );
      }, OPEN_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), late]);
    } catch (e) {
      this.#pairs.delete(name); // the next cycle tries again
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return { queue, events, Job };
  }

  /** Closes every queue connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    const pairs = await Promise.allSettled(this.#pairs.values());
    this.#pairs.clear();
    await Promise.all(
      pairs.flatMap((p) =>
        p.status === "fulfilled" ? [p.value.events.close(), p.value.queue.close()] : []
      ),
    );
  }
}
