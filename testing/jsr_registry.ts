import semver from "semver";
import { createHash } from "node:crypto";

/** One published version of a package in a {@linkcode serveJsrRegistry} registry. */
export interface JsrPackage {
  /** `@scope/name`. */
  name: string;
  /** Its semver version. */
  version: string;
  /** Files by path from the package root (`"/mod.ts"`). */
  files: Record<string, string>;
  /**
   * Its exports: one path (the `"."` export; default `"./mod.ts"`), or a map of export names
   * (`"."`, `"./plugin"`) to paths, as in `deno.json`.
   */
  exports?: string | Record<string, string>;
}

/** A running registry. */
export interface JsrRegistry extends AsyncDisposable {
  /** The registry URL, for `JSR_URL` (a path of its own on a loopback port; ends with "/"). */
  url: string;
  /** Every request path served, in order. */
  requests: string[];
  /** Publishes a version (or replaces one, checksums included). */
  publish(pkg: JsrPackage): Promise<void>;
  /** Serves other content for a file without updating its published checksum. */
  tamper(name: string, version: string, path: string, content: string): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Serves packages in the JSR registry layout on 127.0.0.1 (`<name>/meta.json`,
 * `<name>/<version>_meta.json` with a sha256 manifest, files as `application/typescript`),
 * so `jsr:` specifiers resolve against it when Deno runs with `JSR_URL` set to its URL. Use it
 * to try a plugin package before publishing it, and in tests.
 *
 * @param packages The packages to publish at start.
 * @returns The running registry.
 *
 * @example
 * ```ts
 * import { serveJsrRegistry } from "@otai/cli/testing";
 * import { strictEqual } from "node:assert/strict";
 * await using registry = await serveJsrRegistry([
 *   { name: "@acme/hello", version: "1.0.0", files: { "/mod.ts": "export default 1;" } },
 * ]);
 * const meta = await (await fetch(`${registry.url}@acme/hello/meta.json`)).json();
 * strictEqual(meta.latest, "1.0.0");
 * ```
 */
export async function serveJsrRegistry(packages: JsrPackage[] = []): Promise<JsrRegistry> {
  const store: Store = { versions: new Map(), tampered: new Map() };
  const requests: string[] = [];
  const publish = (pkg: JsrPackage) => {
    const manifest: Record<string, { size: number; checksum: string }> = {};
    for (const [path, content] of Object.entries(pkg.files)) {
      const bytes = new TextEncoder().encode(content);
      manifest[path] = {
        size: bytes.length,
        checksum: `sha256-${createHash("sha256").update(bytes).digest("hex")}`,
      };
    }
    if (!store.versions.has(pkg.name)) store.versions.set(pkg.name, new Map());
    store.versions.get(pkg.name)!.set(pkg.version, {
      files: pkg.files,
      meta: {
        manifest,
        exports: typeof pkg.exports === "object" ? pkg.exports : { ".": pkg.exports ?? "./mod.ts" },
        moduleGraph2: {},
      },
    });
    for (const path of Object.keys(pkg.files)) {
      store.tampered.delete(`${pkg.name}@${pkg.version}${path}`);
    }
    return Promise.resolve();
  };
  for (const p of packages) await publish(p);
  // Under a path of its own: Deno caches registry files by URL, and a later registry may get
  // the same port, so no URL of an earlier registry may name a file of this one.
  const base = `/r${crypto.randomUUID().slice(0, 8)}`;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const full = decodeURIComponent(new URL(req.url).pathname);
    const path = full.startsWith(`${base}/`) ? full.slice(base.length) : `(outside)${full}`;
    requests.push(path);
    return answer(store, path);
  });
  const close = () => server.shutdown();
  return {
    url: `http://127.0.0.1:${server.addr.port}${base}/`,
    requests,
    publish,
    tamper: (name, version, path, content) =>
      store.tampered.set(`${name}@${version}${path}`, content),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** What a registry holds: versions by package, and files served other than published. */
interface Store {
  versions: Map<string, Map<string, { files: Record<string, string>; meta: object }>>;
  tampered: Map<string, string>;
}

/** The registry's answer to a request path, in the JSR layout. */
function answer(store: Store, path: string): Response {
  const m = /^\/(@[^/]+\/[^/]+)\/(.*)$/.exec(path);
  const pkg = m ? store.versions.get(m[1]!) : undefined;
  if (!m || !pkg) return new Response("not found", { status: 404 });
  const rest = m[2]!;
  if (rest === "meta.json") {
    const list = [...pkg.keys()];
    const latest = list.sort(semver.compare).at(-1);
    const [scope, name] = m[1]!.slice(1).split("/");
    return Response.json({
      scope,
      name,
      latest,
      versions: Object.fromEntries(list.map((v) => [v, {}])),
    });
  }
  const vm = /^([^/]+)_meta\.json$/.exec(rest);
  if (vm) {
    const v = pkg.get(vm[1]!);
    return v ? Response.json(v.meta) : new Response("not found", { status: 404 });
  }
  const fm = /^([^/]+)(\/.*)$/.exec(rest);
  const v = fm ? pkg.get(fm[1]!) : undefined;
  const file = fm && v
    ? store.tampered.get(`${m[1]}@${fm[1]}${fm[2]}`) ?? v.files[fm[2]!]
    : undefined;
  if (file === undefined) return new Response("not found", { status: 404 });
  const type = fm![2]!.endsWith(".json") ? "application/json" : "application/typescript";
  return new Response(file, { headers: { "content-type": type } });
}
