/**
 * One attack's world: a fresh directory holding the config, canaries planted outside every
 * grant, a loopback canary server, a canary environment variable, and the real otai CLI run as
 * a subprocess in that directory.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../../_helpers.ts";
import { Loopback, type Route } from "./_loopback.ts";

/** The sandbox modes every attack runs in. */
export type Mode = "worker" | "process";

/** How otai must end: with its results document, refusing the config at load, or either. */
export type Expect = "run" | "refused" | "either" | "none";

/** One run of the CLI and what it printed. */
export interface Observed {
  /** What was run, for messages (`run --json`). */
  label: string;
  /** The CLI arguments. */
  args: string[];
  /** Exit code (137 when killed after the time limit). */
  code: number;
  stdout: string;
  stderr: string;
  /** It did not end within its time limit and was killed. */
  timedOut: boolean;
  /** What this run must show about the host. */
  expect: Expect;
  /** How long it took. */
  ms: number;
}

/** Options for {@linkcode Wall.otai}. */
export interface OtaiOptions {
  /** Bytes for its stdin (else it reads from nothing). */
  stdin?: string;
  /** Time limit; default the case's (30 s). */
  timeoutMs?: number;
  /** Polled every 50 ms: when true, otai gets SIGTERM (a bounded, condition-driven stop). */
  stopWhen?: () => boolean | Promise<boolean>;
  /** What the run must show; default the case's expectation. */
  expect?: Expect;
  /** More environment variables for this run. */
  env?: Record<string, string>;
}

const WALL = fileURLToPath(new URL("./", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../fixtures/plugins/", import.meta.url));

/** `file:` URL of the public plugin API, for plugin modules written at test time. */
export const PLUGIN_TS: string = new URL("../../../plugin.ts", import.meta.url).href;

/**
 * The world of one (attack, mode): create with {@linkcode Wall.open}, dispose to close its
 * servers and remove its directory.
 */
export class Wall implements AsyncDisposable {
  /** The sandbox mode of its plugins. */
  readonly mode: Mode;
  /** The config's directory (otai's working directory). */
  readonly dir: string;
  /** The canary server: nothing granted names it, so any hit is a leak. */
  readonly canary: Loopback;
  /** The token in every canary file outside the grants. */
  readonly token: string = crypto.randomUUID();
  /** The value of the canary environment variable `WALL_CANARY_ENV`, never granted. */
  readonly envValue: string = `wall-env-${crypto.randomUUID()}`;
  /** Environment variables for otai (the canary's among them). */
  readonly env: Record<string, string>;
  /** Values that must appear nowhere (besides the token and the canary variable). */
  readonly secrets: { what: string; value: string; windows?: number }[] = [];
  /** Files planted by the test (holding canaries), left out of the scan for leaks. */
  readonly planted = new Set<string>();
  /** Folders (relative to `dir`) left out of the scan, such as a copy of Deno's cache. */
  readonly unscanned = new Set<string>();
  /** Other servers of the case (granted or not), closed with the wall. */
  readonly servers: Loopback[] = [];
  /** Every run so far. */
  readonly runs: Observed[] = [];
  #expect: Expect;
  #timeoutMs: number;

  private constructor(mode: Mode, dir: string, expect: Expect, timeoutMs: number) {
    this.mode = mode;
    this.dir = dir;
    this.#expect = expect;
    this.#timeoutMs = timeoutMs;
    this.canary = new Loopback();
    // Deno's own update check would reach out (through a trap proxy, to the canary) on its own.
    this.env = { WALL_CANARY_ENV: this.envValue, DENO_NO_UPDATE_CHECK: "1" };
  }

  /** Creates the directory, the canary server and the canary files. */
  static async open(mode: Mode, expect: Expect, timeoutMs = 30_000): Promise<Wall> {
    const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "otai-wall-" }));
    const w = new Wall(mode, dir, expect, timeoutMs);
    await w.plant("outside/canary.txt", `${w.token}\n`);
    // A module that does not parse: Deno's syntax error quotes the line holding the token.
    await w.plant("outside/canary.ts", `the token is ${w.token} here\n`);
    await w.plant("outside/creds.json", JSON.stringify({ token: w.token }) + "\n");
    await w.plant("outside/secret.js", `export default ${JSON.stringify(w.token)};\n`);
    await w.write("outside/victim.txt", "original\n");
    await w.write("granted/data.txt", "genuine\n");
    return w;
  }

  /** Absolute path of a hostile (or bystander) plugin module in `tests/security/wall/`. */
  plugin(name: string): string {
    return join(WALL, `${name}.ts`);
  }

  /** Absolute path of a fixture plugin in `tests/fixtures/plugins/`. */
  fixture(name: string): string {
    return join(FIXTURES, `${name}.ts`);
  }

  /** An absolute path under the directory. */
  path(rel: string): string {
    return join(this.dir, rel);
  }

  /** Writes a file under the directory; returns its absolute path. */
  async write(rel: string, text: string): Promise<string> {
    const path = this.path(rel);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, text);
    return path;
  }

  /** Writes a file holding a canary: it is left out of the scan for leaks. */
  async plant(rel: string, text: string): Promise<string> {
    this.planted.add(rel);
    return await this.write(rel, text);
  }

  /** Writes a plugin module at test time; `$PLUGIN_TS` in `source` becomes the API's URL. */
  async module(rel: string, source: string): Promise<string> {
    return await this.write(rel, source.replaceAll("$PLUGIN_TS", PLUGIN_TS));
  }

  /** Sets an environment variable for otai whose value must appear nowhere. */
  secret(name: string, value: string, options: { windows?: number } = {}): string {
    this.env[name] = value;
    this.secrets.push({ what: `the secret ${name}`, value, ...options });
    return value;
  }

  /** Starts another loopback server, closed with the wall. */
  server(routes: Record<string, Route> = {}): Loopback {
    const s = new Loopback(routes);
    this.servers.push(s);
    return s;
  }

  /**
   * Runs the real CLI in the directory:
   * `deno run -A --unstable-worker-options --cached-only <root>/mod.ts <args>`.
   */
  async otai(args: string[], options: OtaiOptions = {}): Promise<Observed> {
    const started = Date.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-worker-options", "--cached-only", `${ROOT}mod.ts`, ...args],
      cwd: this.dir,
      env: { NO_COLOR: "1", ...this.env, ...options.env },
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
      await writer.close().catch(() => {});
    }
    const stdout = new Response(child.stdout).text();
    const stderr = new Response(child.stderr).text();
    let timedOut = false;
    let ended = false;
    const kill = setTimeout(() => {
      timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, options.timeoutMs ?? this.#timeoutMs);
    const status = child.status.finally(() => ended = true);
    if (options.stopWhen) {
      while (!ended && !(await options.stopWhen())) await new Promise((r) => setTimeout(r, 50));
      if (!ended) child.kill("SIGTERM");
    }
    const { code } = await status;
    clearTimeout(kill);
    const run: Observed = {
      label: args.filter((a) => a !== "config.yml").join(" "),
      args,
      code,
      stdout: await stdout,
      stderr: await stderr,
      timedOut,
      expect: options.expect ?? this.#expect,
      ms: Date.now() - started,
    };
    this.runs.push(run);
    return run;
  }

  /** The default run: `run config.yml --json --log-level debug`. */
  run(options: OtaiOptions = {}): Promise<Observed> {
    return this.otai(["run", "config.yml", "--json", "--log-level", "debug"], options);
  }

  /** Every file under the directory now (text, not following links), except planted ones. */
  async files(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const walk = async (dir: string) => {
      for await (const e of Deno.readDir(dir)) {
        const path = join(dir, e.name);
        const rel = relative(this.dir, path);
        if (e.isSymlink || this.planted.has(rel) || this.unscanned.has(rel)) continue;
        if (e.isDirectory) await walk(path);
        else if (e.isFile && (await Deno.stat(path)).size <= 2_000_000) {
          out.set(rel, await Deno.readTextFile(path));
        }
      }
    };
    await walk(this.dir);
    return out;
  }

  /** Closes the servers and removes the directory. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.canary[Symbol.asyncDispose]();
    for (const s of this.servers) await s[Symbol.asyncDispose]();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}
