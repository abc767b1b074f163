/**
 * A `queue.url` (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS) as Redis
 * connection options, and as it may be shown: with its password replaced.
 *
 * @module
 */
import { isIP } from "node:net";

/** The connection options of a queue URL (ioredis' options, as BullMQ passes them on). */
export interface QueueConnection {
  /** The host. */
  host: string;
  /** The port (6379 unless given). */
  port: number;
  /** The user, for Redis ACLs. */
  username?: string;
  /** The password. */
  password?: string;
  /** The database number. */
  db?: number;
  /** TLS options, for `rediss://` (the server name, unless the host is an IP address). */
  tls?: { servername?: string };
}

/**
 * Reads a queue URL.
 *
 * @param url The URL.
 * @returns Its connection options.
 * @throws {TypeError} When it is not a `redis://` or `rediss://` URL with a host.
 *
 * @example
 * ```ts
 * import { parseQueueUrl } from "./queue_url.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(parseQueueUrl("redis://:pw@10.0.0.5/2"), {
 *   host: "10.0.0.5",
 *   port: 6379,
 *   password: "pw",
 *   db: 2,
 * });
 * ```
 */
export function parseQueueUrl(url: string): QueueConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(`Cannot read the queue URL "${redactUrl(url)}": not a URL`);
  }
  if ((u.protocol !== "redis:" && u.protocol !== "rediss:") || !u.hostname) {
    throw new TypeError(
      `Cannot use the queue URL "${redactUrl(url)}": expected redis://host:port or rediss://`,
    );
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  const out: QueueConnection = { host, port: u.port ? Number(u.port) : 6379 };
  if (u.username) out.username = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  const db = u.pathname.replace(/^\//, "");
  if (db) out.db = Number(db);
  // SNI names a host; a certificate for an IP address is checked against the address itself.
  if (u.protocol === "rediss:") out.tls = isIP(host) ? {} : { servername: host };
  return out;
}

/**
 * A queue URL as it may be shown: its password (or a lone user part, which Redis reads as the
 * password) replaced with `***`.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./queue_url.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(redactUrl("redis://app:s3cret@db:6379"), "redis://app:***@db:6379");
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)([^@/]*)@/, (_, scheme: string, auth: string) => {
    const colon = auth.indexOf(":");
    return `${scheme}${colon < 0 ? "***" : `${auth.slice(0, colon)}:***`}@`;
  });
}
