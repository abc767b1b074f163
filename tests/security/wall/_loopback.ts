/**
 * A canary server on 127.0.0.1 that counts every connection, speaking just enough HTTP/1.1 to
 * answer, redirect and serve code. It sits on raw TCP so that nothing reaching it goes unseen: a
 * request, a WebSocket upgrade, a proxy `CONNECT`, or bytes that are not HTTP at all.
 *
 * @module
 */

/** One connection that reached the server: its first line, and the body of a request. */
export interface Hit {
  /** The request line (`GET /x?leak=1 HTTP/1.1`), or the first bytes when not HTTP. */
  line: string;
  /** Headers and body as text (bounded). */
  text: string;
}

/** What the server answers on a path. */
export type Route = string | { status?: number; body?: string; type?: string; redirect?: string };

const MAX_REQUEST = 1_000_000;
const READ_MS = 2000;

/** A loopback server whose every connection is recorded in `hits`. */
export class Loopback implements AsyncDisposable {
  /** Every connection so far. */
  readonly hits: Hit[] = [];
  /** Answers by path (without the query); may change while the server runs. */
  readonly routes: Record<string, Route>;
  #listener: Deno.TcpListener;
  #conns = new Set<Deno.Conn>();
  #handlers = new Set<Promise<void>>();
  #loop: Promise<void>;

  /** Starts listening on a free port of 127.0.0.1. */
  constructor(routes: Record<string, Route> = {}) {
    this.routes = routes;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#loop = this.#accept();
  }

  /** The port it listens on. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `127.0.0.1:<port>`, as a grant names it. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The request lines, for a failure message. */
  describe(): string {
    return this.hits.map((h) => JSON.stringify(h.line)).join(", ");
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        this.#conns.add(conn);
        const handler = this.#handle(conn).catch(() => {}).finally(() => {
          this.#conns.delete(conn);
          this.#handlers.delete(handler);
          try {
            conn.close();
          } catch { /* already closed */ }
        });
        this.#handlers.add(handler);
      }
    } catch { /* the listener was closed */ }
  }

  async #handle(conn: Deno.Conn): Promise<void> {
    const hit: Hit = { line: "", text: "" };
    this.hits.push(hit);
    const decoder = new TextDecoder();
    let text = "";
    const deadline = Date.now() + READ_MS;
    const buf = new Uint8Array(64 * 1024);
    let need = Infinity;
    let got = 0;
    while (got < Math.min(need, MAX_REQUEST) && Date.now() < deadline) {
      const n = await Promise.race([
        conn.read(buf),
        new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now()))),
      ]);
      if (n === null) break;
      got += n;
      text += decoder.decode(buf.subarray(0, n), { stream: true });
      hit.line = text.split(/\r?\n/, 1)[0]!.slice(0, 500);
      hit.text = text;
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0 && need === Infinity) {
        const length = /^content-length:\s*(\d+)/im.exec(text.slice(0, end));
        const headBytes = new TextEncoder().encode(text.slice(0, end + 4)).length;
        need = headBytes + (length ? Number(length[1]) : 0);
      }
    }
    const [method = "", target = "/"] = hit.line.split(" ");
    if (method === "CONNECT" || !target.startsWith("/")) {
      await write(conn, "HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const route = this.routes[new URL(target, "http://x").pathname];
    const spec = route === undefined
      ? { status: 404, body: "not found", type: "text/plain" }
      : typeof route === "string"
      ? { body: route }
      : route;
    const body = new TextEncoder().encode(spec.body ?? "");
    const status = spec.redirect ? 302 : spec.status ?? 200;
    const head = `HTTP/1.1 ${status} X\r\nconnection: close\r\n` +
      `content-type: ${spec.type ?? "application/typescript"}\r\n` +
      (spec.redirect ? `location: ${spec.redirect}\r\n` : "") +
      `content-length: ${body.length}\r\n\r\n`;
    await write(conn, head, body);
  }

  /** Stops listening, closes every connection and waits for the handlers. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#listener.close();
    } catch { /* already closed */ }
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
    await this.#loop;
    await Promise.all([...this.#handlers]);
  }
}

async function write(conn: Deno.Conn, head: string, body?: Uint8Array): Promise<void> {
  const bytes = new TextEncoder().encode(head);
  const all = new Uint8Array(bytes.length + (body?.length ?? 0));
  all.set(bytes);
  if (body) all.set(body, bytes.length);
  for (let n = 0; n < all.length;) n += await conn.write(all.subarray(n));
}
