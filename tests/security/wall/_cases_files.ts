/**
 * Class 2: reading what is not granted. Every plugin is granted `./granted` at most; the canary
 * files under `./outside` hold the token (a text file, a module that does not parse, a JSON
 * module and a JavaScript module).
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";
import { attack, config, type WallCase } from "./_case.ts";
import { resultsDoc, stepIn } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

const STATIC_JSON = `import creds from "../../outside/creds.json" with { type: "json" };
import { definePipe, definePlugin } from "$PLUGIN_TS";

export default definePlugin({
  name: "wall-static-json",
  version: "1.0.0",
  api: "^1.0",
  injectables: [definePipe({ kind: "pipe", name: "Attack", run: () => ({ creds }) })],
});
`;

const STATIC_JS = `import secret from "../../outside/secret.js";
import { definePipe, definePlugin } from "$PLUGIN_TS";

console.log("the secret is", secret);

export default definePlugin({
  name: "wall-static-js",
  version: "1.0.0",
  api: "^1.0",
  injectables: [definePipe({ kind: "pipe", name: "Attack", run: () => ({ secret }) })],
});
`;

function readOnly(w: Wall): Record<string, unknown> {
  return { read: [w.path("granted")] };
}

/** Links into `./granted` that lead outside it. */
async function plantLinks(w: Wall): Promise<void> {
  await Deno.symlink(w.path("outside/canary.txt"), w.path("granted/link"));
  await Deno.symlink(w.path("outside"), w.path("granted/dir"));
}

/** The attacks on files outside the grant. */
export const FILE_CASES: readonly WallCase[] = [
  {
    name: "static_json_import_outside_folder",
    expect: "refused",
    async config(w) {
      const from = await w.module("plugins/json/mod.ts", STATIC_JSON);
      return config(w, { plugins: [{ from }], steps: [attack("wall-static-json:Attack")] });
    },
    refusing: /wall-static-json|plugins\/json\/mod\.ts/,
  },
  {
    name: "static_js_import_outside_folder",
    expect: "refused",
    async config(w) {
      const from = await w.module("plugins/js/mod.ts", STATIC_JS);
      return config(w, { plugins: [{ from }], steps: [attack("wall-static-js:Attack")] });
    },
    refusing: /wall-static-js|plugins\/js\/mod\.ts/,
  },
  {
    name: "dynamic_import_quotes_file_in_error",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("dynamic_import_file"), permissions: readOnly(w) }],
        steps: [attack("wall-dynamic-import-file:Attack", { path: w.path("outside/canary.ts") })],
      }),
  },
  {
    name: "dynamic_import_json_outside",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("dynamic_import_json"), permissions: readOnly(w) }],
        steps: [attack("wall-dynamic-import-json:Attack", { path: w.path("outside/creds.json") })],
      }),
  },
  {
    name: "symlink_in_grant_read",
    expect: "either",
    async config(w) {
      await plantLinks(w);
      return config(w, {
        plugins: [{ from: w.plugin("symlink_read"), permissions: readOnly(w) }],
        steps: [attack("wall-symlink-read:Attack", {
          paths: [w.path("granted/link"), w.path("granted/dir/canary.txt"), "granted/link"],
        })],
      });
    },
  },
  {
    name: "symlink_in_grant_write",
    expect: "either",
    async config(w) {
      await Deno.symlink(w.path("outside/victim.txt"), w.path("granted/wlink"));
      const grant = { read: [w.path("granted")], write: [w.path("granted")] };
      return config(w, {
        plugins: [{ from: w.plugin("symlink_write"), permissions: grant }],
        steps: [attack("wall-symlink-write:Attack", { path: w.path("granted/wlink") })],
      });
    },
    async check(w) {
      strictEqual(
        await Deno.readTextFile(w.path("outside/victim.txt")),
        "original\n",
        "a file outside the write grant was changed through a symlink",
      );
    },
  },
  {
    name: "symlink_and_hard_link_made_at_run_time",
    config(w) {
      const grant = { read: [w.path("granted")], write: [w.path("granted")] };
      return config(w, {
        plugins: [{ from: w.plugin("symlink_create"), permissions: grant }],
        steps: [attack("wall-symlink-create:Attack", {
          target: w.path("outside/canary.txt"),
          dir: w.path("granted"),
        })],
      });
    },
  },
  {
    name: "dotdot_and_encoded_paths",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("dotdot_read"), permissions: readOnly(w) }],
        steps: [attack("wall-dotdot-read:Attack", { granted: w.path("granted") })],
      }),
  },
  {
    name: "realpath_readlink_reveal_outside",
    expect: "either",
    async config(w) {
      await plantLinks(w);
      return config(w, {
        plugins: [{ from: w.plugin("realpath_readlink"), permissions: readOnly(w) }],
        steps: [attack("wall-realpath-readlink:Attack", {
          link: w.path("granted/dir"),
          outside: w.path("outside"),
        })],
      });
    },
    check(w) {
      const run = w.runs[0]!;
      if (run.code === 2) return;
      const data = JSON.stringify(stepIn(resultsDoc(run), "attack").data ?? null);
      ok(
        !data.includes(w.path("outside")) && !data.includes("canary.txt"),
        `the plugin learnt what lies outside its grant: ${data}`,
      );
    },
  },
  {
    name: "fetch_file_url",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("file_fetch"), permissions: readOnly(w) }],
        steps: [attack("wall-file-fetch:Attack", { path: w.path("outside/canary.txt") })],
      }),
  },
  {
    name: "proc_self_environ_cwd_root",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("proc_self"), permissions: readOnly(w) }],
        steps: [attack("wall-proc-self:Attack", {
          rel: "outside/canary.txt",
          abs: w.path("outside/canary.txt"),
        })],
      }),
  },
  {
    name: "node_fs_read_outside",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("node_fs_read"), permissions: readOnly(w) }],
        steps: [attack("wall-node-fs-read:Attack", { path: w.path("outside/canary.txt") })],
      }),
  },
  {
    name: "worker_script_outside_quotes_it",
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("worker_script_quotes"), permissions: readOnly(w) }],
        steps: [attack("wall-worker-script-quotes:Attack", { path: w.path("outside/canary.ts") })],
      }),
  },
];
