/**
 * Class 3: the module cache and plugin code on disk. A plugin that can write where code is kept
 * (Deno's cache, otai's code, another plugin's modules, its own) must be refused at load; one
 * that rewrites another plugin's dependency must never get the changed code run, neither after
 * a sandbox restart nor in the next run.
 *
 * @module
 */
import { ok } from "node:assert/strict";
import { join } from "node:path";
import { attack, config, type WallCase } from "./_case.ts";
import { resultsDoc, stepIn } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

const VICTIM = `import { VERSION } from "../../lib/helper.ts";
import { definePipe, definePlugin } from "$PLUGIN_TS";

export default definePlugin({
  name: "wall-victim",
  version: "1.0.0",
  api: "^1.0",
  permissions: { read: true },
  injectables: [
    definePipe({ kind: "pipe", name: "Version", run: () => ({ version: VERSION }) }),
    definePipe({
      kind: "pipe",
      name: "Hang",
      run() {
        while (true) { /* stuck: its sandbox is stopped and started again */ }
      },
    }),
  ],
});
`;

/** What the attacker writes: code that announces itself when it runs. */
const EVIL = 'console.log("WALL-EVIL-CODE-RAN");\nexport const VERSION = "evil";\n';

const SELF = `import { definePipe, definePlugin } from "$PLUGIN_TS";

export default definePlugin({
  name: "wall-self-rewrite",
  version: "1.0.0",
  api: "^1.0",
  permissions: { write: true },
  injectables: [
    definePipe({
      kind: "pipe",
      name: "Attack",
      async run() {
        await Deno.writeTextFile(new URL(import.meta.url), 'console.log("WALL-EVIL-CODE-RAN");');
        return { rewrote: true };
      },
    }),
  ],
});
`;

/**
 * The victim plugin and its dependency `lib/helper.ts`, outside its folder: the victim is granted
 * read on `./lib` for it. Returns the victim's path.
 */
async function plantVictim(w: Wall): Promise<string> {
  await w.write("lib/helper.ts", 'export const VERSION = "good";\n');
  return await w.module("plugins/victim/mod.ts", VICTIM);
}

/** A copy of Deno's npm cache under `rel` (hard links where possible), to serve as DENO_DIR. */
async function denoDirCopy(w: Wall, rel: string): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const from = join(JSON.parse(new TextDecoder().decode(info.stdout)).denoDir, "npm");
  const to = w.path(join(rel, "npm"));
  const copy = async (src: string, dst: string) => {
    await Deno.mkdir(dst, { recursive: true });
    for await (const e of Deno.readDir(src)) {
      const s = join(src, e.name), d = join(dst, e.name);
      if (e.isDirectory) await copy(s, d);
      else if (e.isFile) await Deno.link(s, d).catch(() => Deno.copyFile(s, d));
    }
  };
  await copy(from, to);
  w.unscanned.add(rel);
  return w.path(rel);
}

/** The changed code never ran: no version "evil" in any step, no announcement in any output. */
function evilNeverRan(w: Wall, steps: string[]): void {
  for (const run of w.runs) {
    ok(
      !run.stdout.includes("WALL-EVIL-CODE-RAN") && !run.stderr.includes("WALL-EVIL-CODE-RAN"),
      `${run.label}: the rewritten code ran: ${run.stderr.slice(-800)}`,
    );
    if (run.code === 2) continue;
    const doc = resultsDoc(run);
    for (const id of steps) {
      const s = stepIn(doc, id);
      ok(
        !(s.status === "succeeded" && (s.data as { version?: string }).version === "evil"),
        `${run.label}: step ${id} ran the rewritten code: ${JSON.stringify(s)}`,
      );
    }
  }
}

/** The attacks on the cache and on code on disk. */
export const CACHE_CASES: readonly WallCase[] = [
  {
    name: "write_grant_overlapping_deno_dir",
    expect: "refused",
    refusing: /wall-write-cache/,
    async config(w) {
      w.env.DENO_DIR = await denoDirCopy(w, "granted/deno_dir");
      return config(w, {
        plugins: [{ from: w.plugin("write_cache"), permissions: { write: [w.path("granted")] } }],
        steps: [attack("wall-write-cache:Attack", { path: w.path("granted/deno_dir/marker") })],
      });
    },
    timeoutMs: 60_000,
  },
  {
    name: "write_grant_true",
    expect: "refused",
    refusing: /wall-write-cache/,
    config: (w) =>
      config(w, {
        plugins: [{ from: w.plugin("write_cache"), permissions: { write: true } }],
        steps: [attack("wall-write-cache:Attack", { path: w.path("granted/marker") })],
      }),
  },
  {
    name: "write_grant_on_other_plugin_folder",
    expect: "refused",
    refusing: /wall-rewrite-code/,
    async config(w) {
      await plantVictim(w);
      return config(w, {
        plugins: [
          { from: w.path("plugins/victim/mod.ts"), permissions: { read: [w.path("lib")] } },
          { from: w.plugin("rewrite_code"), permissions: { write: [w.path("plugins/victim")] } },
        ],
        steps: [
          attack("wall-rewrite-code:Attack", {
            path: w.path("plugins/victim/mod.ts"),
            source: EVIL,
          }),
          { id: "v2", use: "wall-victim:Version", continue_on_error: true },
        ],
      });
    },
    check: (w) => evilNeverRan(w, ["v2"]),
  },
  {
    name: "write_grant_on_own_folder",
    expect: "refused",
    refusing: /wall-self-rewrite|plugins\/self\/mod\.ts/,
    async config(w) {
      const from = await w.module("plugins/self/mod.ts", SELF);
      return config(w, {
        plugins: [{ from, permissions: { write: [w.path("plugins/self")] } }],
        steps: [attack("wall-self-rewrite:Attack")],
      });
    },
  },
  {
    name: "rewrite_dependency_before_restart",
    expect: "either",
    refusing: /wall-rewrite-code|wall-victim|plugins\/victim/,
    async config(w) {
      const from = await plantVictim(w);
      return config(w, {
        plugins: [
          { from, permissions: { read: [w.path("lib")] } },
          { from: w.plugin("rewrite_code"), permissions: { write: [w.path("lib")] } },
        ],
        defaults: { kill_after: "200ms" },
        steps: [
          { id: "v1", use: "wall-victim:Version" },
          attack("wall-rewrite-code:Attack", { path: w.path("lib/helper.ts"), source: EVIL }),
          { id: "crash", use: "wall-victim:Hang", timeout: "200ms", continue_on_error: true },
          { id: "v2", use: "wall-victim:Version", continue_on_error: true },
        ],
      });
    },
    check: (w) => evilNeverRan(w, ["v1", "v2"]),
  },
  {
    name: "rewrite_dependency_between_runs",
    expect: "either",
    refusing: /wall-rewrite-code|wall-victim|plugins\/victim/,
    async config(w) {
      const from = await plantVictim(w);
      return config(w, {
        plugins: [
          { from, permissions: { read: [w.path("lib")] } },
          { from: w.plugin("rewrite_code"), permissions: { write: [w.path("lib")] } },
        ],
        steps: [
          { id: "v1", use: "wall-victim:Version", continue_on_error: true },
          attack("wall-rewrite-code:Attack", { path: w.path("lib/helper.ts"), source: EVIL }),
        ],
      });
    },
    async drive(w) {
      await w.run();
      await w.run();
    },
    check: (w) => evilNeverRan(w, ["v1"]),
  },
  {
    name: "write_through_link_to_plugin_code",
    expect: "either",
    refusing: /wall-rewrite-code|wall-victim|plugins\/victim/,
    async config(w) {
      const from = await plantVictim(w);
      await Deno.symlink(w.path("plugins/victim"), w.path("granted/code"));
      const evil = `console.log("WALL-EVIL-CODE-RAN");\n${VICTIM}`.replace(
        'import { VERSION } from "../../lib/helper.ts";',
        'const VERSION = "evil";',
      ).replaceAll("$PLUGIN_TS", new URL("../../../plugin.ts", import.meta.url).href);
      return config(w, {
        plugins: [
          { from, permissions: { read: [w.path("lib")] } },
          { from: w.plugin("rewrite_code"), permissions: { write: [w.path("granted")] } },
        ],
        defaults: { kill_after: "200ms" },
        steps: [
          attack("wall-rewrite-code:Attack", { path: w.path("granted/code/mod.ts"), source: evil }),
          { id: "crash", use: "wall-victim:Hang", timeout: "200ms", continue_on_error: true },
          { id: "v2", use: "wall-victim:Version", continue_on_error: true },
        ],
      });
    },
    check: (w) => evilNeverRan(w, ["v2"]),
  },
];
