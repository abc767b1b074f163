/**
 * A private npm registry on 127.0.0.1 for tests: packuments and gzipped tarballs laid out as
 * the npm registry serves them, every request refused with 401 unless it carries the token.
 *
 * @module
 */

/** One package version: its name, version and files (paths inside the package). */
export interface NpmPackage {
  name: string;
  version: string;
  files: Record<string, string>;
}

/** A running registry: its URL, the authorization headers it saw; dispose to stop it. */
export interface NpmRegistry extends AsyncDisposable {
  url: string;
  host: string;
  seen: (string | null)[];
}

/** Serves `packages`, refusing every request without `Authorization: Bearer <token>`. */
export async function serveNpmRegistry(
  packages: NpmPackage[],
  token: string,
): Promise<NpmRegistry> {
  const seen: (string | null)[] = [];
  const tarballs = new Map<string, Uint8Array<ArrayBuffer>>();
  const packuments = new Map<string, Record<string, unknown>>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req.headers.get("authorization"));
    if (req.headers.get("authorization") !== `Bearer ${token}`) {
      return Response.json({ error: "authentication required" }, { status: 401 });
    }
    const path = decodeURIComponent(new URL(req.url).pathname);
    const tgz = tarballs.get(path);
    if (tgz) return new Response(tgz, { headers: { "content-type": "application/octet-stream" } });
    const doc = packuments.get(path.slice(1));
    return doc ? Response.json(doc) : Response.json({ error: "not found" }, { status: 404 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  for (const p of packages) {
    const tgz = await tarball({ "package.json": JSON.stringify(packageJson(p)), ...p.files });
    const path = `/${p.name}/-/${p.name.split("/").pop()}-${p.version}.tgz`;
    tarballs.set(path, tgz);
    const doc = packuments.get(p.name) ??
      { name: p.name, "dist-tags": {}, versions: {} as Record<string, unknown> };
    (doc["dist-tags"] as Record<string, string>).latest = p.version;
    (doc.versions as Record<string, unknown>)[p.version] = {
      ...packageJson(p),
      dist: {
        tarball: url + path.slice(1),
        shasum: hex(await crypto.subtle.digest("SHA-1", tgz)),
        integrity: `sha512-${base64(await crypto.subtle.digest("SHA-512", tgz))}`,
      },
    };
    packuments.set(p.name, doc);
  }
  return {
    url,
    host: `127.0.0.1:${server.addr.port}`,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function packageJson(p: NpmPackage) {
  return { name: p.name, version: p.version, type: "module", main: "index.js" };
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function base64(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

/** A gzipped ustar archive with every file under `package/`, as `npm pack` writes it. */
async function tarball(files: Record<string, string>): Promise<Uint8Array<ArrayBuffer>> {
  const blocks: Uint8Array[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = new TextEncoder().encode(text);
    blocks.push(header(`package/${name}`, data.length), data);
    blocks.push(new Uint8Array((512 - data.length % 512) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const tar = new Blob(blocks as BlobPart[]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(tar).arrayBuffer());
}

function header(name: string, size: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (offset: number, text: string) => h.set(new TextEncoder().encode(text), offset);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, "0") + "\0";
  put(0, name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(0, 12));
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\0");
  put(263, "00");
  const sum = h.reduce((n, b) => n + b, 0);
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}
