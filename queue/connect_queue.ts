/**
 * Reaching the queue's Redis: a bounded probe at start (unreachable means exit 2, said once,
 * not ioredis retrying forever) and the options of the connections that follow, which do
 * reconnect when Redis goes away mid-run.
 *
 * @module
 */
import { bullmq } from "./_bullmq.ts";
import { PREFIX } from "./_names.ts";
import { parseQueueUrl, type QueueConnection, redactUrl } from "./queue_url.ts";

/** How long the probe at start may take to connect and get an answer. */
const PROBE_TIMEOUT_MS = 5000;

/** What TLS errors about the server's certificate say (Node's and rustls' wording). */
const CERTIFICATE = /certificate|self[- ]signed|CERT_|UnknownIssuer|not valid for name/i;

/** Redis could not be reached at start; the CLI exits 2. */
export class QueueUnreachableError extends Error {
  /** The exit code of a command that ends on it. */
  readonly exitCode = 2;
  /** The queue URL, its password redacted. */
  readonly url: string;

  /** Creates the error for a URL (shown redacted) and the reason. */
  constructor(url: string, reason: string, options?: ErrorOptions) {
    const shown = redactUrl(url);
    super(
      `Cannot reach the queue's Redis at ${shown}: ${reason}; ` +
        (CERTIFICATE.test(reason)
          ? "its TLS certificate is not trusted here: give its CA certificate in DENO_CERT " +
            "(DENO_CERT=/path/to/ca.pem), or check that the URL's host is a name the " +
            "certificate is for"
          : "check that redis-server runs there, that the host and port are right and " +
            "reachable from this machine (firewall), and the password; use rediss:// for a " +
            "server that expects TLS"),
      options,
    );
    this.name = "QueueUnreachableError";
    this.url = shown;
  }
}

/**
 * The ioredis options of the connections after the probe: reconnect every 0.5 to 5 s while
 * Redis is away, commands wait for it (workers and the scheduler ride out a restart).
 */
export function connectionOptions(url: string): QueueConnection & Record<string, unknown> {
  return {
    ...parseQueueUrl(url),
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
  };
}

/**
 * Checks, within 5 s, that Redis answers at the URL.
 *
 * @param url The queue URL.
 * @throws {QueueUnreachableError} When it does not (refused, unknown host, wrong password).
 */
export async function probeQueue(url: string): Promise<void> {
  let options;
  try {
    options = parseQueueUrl(url);
  } catch (e) {
    throw new QueueUnreachableError(url, (e as Error).message);
  }
  const { Queue } = await bullmq();
  let last = "no answer";
  const queue = new Queue("probe", {
    prefix: PREFIX,
    connection: {
      ...options,
      connectTimeout: PROBE_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      lazyConnect: false,
    },
  });
  queue.on("error", (e: Error) => void (last = e.message || String(e)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
        PROBE_TIMEOUT_MS,
      );
    });
    await Promise.race([queue.waitUntilReady().then(() => queue.count()), timeout]);
  } catch (e) {
    const reason = (e as Error).message && !/Connection is closed/.test((e as Error).message)
      ? (e as Error).message
      : last;
    throw new QueueUnreachableError(url, reason, { cause: e });
  } finally {
    clearTimeout(timer);
    await queue.close().catch(() => {});
  }
}
