/**
 * Test helpers of the queue tests: a `redis-server` of their own on a free loopback port,
 * `otai run --json` and `otai worker` processes.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { fixture, ROOT } from "./_helpers.ts";

/** A `redis-server` of a test: its URL, and a network stall on demand. */
export interface Redis extends AsyncDisposable {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Lets it go on (SIGCONT). */
  resume(): void;
  /** Kills the server (SIGKILL) and starts an empty one on the same port: all data lost. */
  restart(): Promise<void>;
}

/** A running `otai worker`. */
export interface Worker {
  /** Waits (bounded) until its stderr matches. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** SIGKILL. */
  kill(): void;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number>;
}

/** The path of an executable on the PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The `redis-server` on the PATH; without one, says that `what` are skipped. */
export function redisServer(what: string): string | undefined {
  const bin = findOnPath("redis-server");
  if (!bin) {
    console.log(`${what} skipped: redis-server is not on the PATH (apt-get install redis-server)`);
  }
  return bin;
}

/** A loopback TCP port nobody listens on (now). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** How a test's `redis-server` is reached. */
export interface RedisOptions {
  /** TLS only, with the certificate of tests/fixtures/tls/ (for localhost and 127.0.0.1). */
  tls?: boolean;
  /** The password it requires. */
  password?: string;
}

/** A `redis-server` of this test file, answering PING, stopped on dispose. */
export async function startRedis(bin: string, options: RedisOptions = {}): Promise<Redis> {
  const port = freePort();
  const args = serverArgs(port, options);
  let child = await spawnRedis(bin, args, port, options);
  return {
    url: `${options.tls ? "rediss" : "redis"}://127.0.0.1:${port}`,
    // A stopped redis-server keeps its connections open and answers nothing: a network stall.
    pause: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
    restart: async () => {
      child.kill("SIGKILL");
      await child.status;
      child = await spawnRedis(bin, args, port, options);
    },
    [Symbol.asyncDispose]: async () => {
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** The command line of a server on the port, without persistence. */
function serverArgs(port: number, options: RedisOptions): string[] {
  const args = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  if (options.password) args.push("--requirepass", options.password);
  if (!options.tls) return ["--port", String(port), ...args];
  const tls = (f: string) => new URL(`fixtures/tls/${f}`, import.meta.url).pathname;
  return [
    ...["--port", "0", "--tls-port", String(port), "--tls-auth-clients", "no"],
    ...["--tls-cert-file", tls("server.pem"), "--tls-key-file", tls("server.key")],
    ...["--tls-ca-cert-file", tls("ca.pem"), ...args],
  ];
}

/** A `redis-server` on the port, once it answers PING (or, with TLS, accepts connections). */
async function spawnRedis(
  bin: string,
  args: string[],
  port: number,
  options: RedisOptions,
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(bin, { args, stdout: "null", stderr: "null" }).spawn();
  const up = () => options.tls || options.password ? listening(port) : pong(port);
  for (let i = 0; !(await up()); i++) {
    if (i === 100) {
      child.kill("SIGTERM");
      await child.status;
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

async function listening(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

async function pong(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buf = new Uint8Array(16);
      const n = await conn.read(buf);
      return new TextDecoder().decode(buf.subarray(0, n ?? 0)).startsWith("+PONG");
    } finally {
      conn.close();
    }
  } catch {
    return false;
  }
}

/** `otai run --json` of a config, its results document parsed. */
export async function otaiRun(file: string, env: Record<string, string> = {}, args: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}mod.ts`, "run", file, "--json", ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  return { code: out.code, stdout, stderr, doc: stdout ? JSON.parse(stdout) : undefined };
}

/** An `otai worker` (concurrency 2, debug log), once it is ready. */
export async function startWorker(file: string, env: Record<string, string> = {}): Promise<Worker> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}mod.ts`,
      "worker",
      file,
      "--concurrency",
      "2",
      "--log-level",
      "debug",
    ],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let seen = "";
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      seen += chunk;
      for (const w of waiters.filter((w) => w.re.test(seen))) w.resolve();
    }
  })();
  const waitFor = (re: RegExp, ms = 30_000) =>
    re.test(seen) ? Promise.resolve() : new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} from the worker:\n${seen}`)), ms);
      waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
    });
  let ended = false;
  const end = async () => {
    const status = await child.status;
    await reading;
    ended = true;
    return status.code;
  };
  const worker = {
    waitFor,
    kill: () => child.kill("SIGKILL"),
    stop: async () => {
      if (!ended) {
        try {
          child.kill("SIGTERM");
        } catch {
          // already gone
        }
      }
      return await end();
    },
  };
  await waitFor(/ready \(stop with/).catch(async (e) => {
    await worker.stop();
    throw e;
  });
  return worker;
}

/**
 * A config whose runner lists `n` items and distributes them: a sleep of `ms`, then who ran it
 * (`queue` adds keys to `queue:`, such as `, attempts: 1`).
 */
export function config(url: string, runner: string, n: number, ms = 50, queue = ""): string {
  return `queue: { url: "${url}"${queue} }
plugins:
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
  - from: ${fixture("whoami.ts")}
orchestrator:
  runners:
    - id: ${runner}
      run:
        - { id: list, use: "probe:Items", params: { n: ${n} } }
        - id: each
          for_each: "\${{ steps.list.data.items }}"
          distribute: true
          collect: "\${{ steps.who.data }}"
          steps:
            - { id: nap, use: "probe:Sleep", params: { ms: ${ms} } }
            - { id: who, use: "whoami:Pid", params: { item: "\${{ item }}" } }
`;
}

/** 0, 1, …, n - 1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Asserts that a run of {@linkcode config} exited 0 with each of its `n` items succeeded and
 * collected exactly once; returns the distributed step.
 */
export function assertEachOnce(
  r: { code: number; stderr: string; doc?: { runners: { steps: StepDoc[] }[] } },
  n: number,
): StepDoc {
  strictEqual(r.code, 0, r.stderr);
  const step = r.doc!.runners[0]!.steps[1]!;
  strictEqual(step.data.succeeded, n);
  const items = step.data.collected.map((c) => c.item);
  deepStrictEqual(items.sort((a, b) => a - b), range(n));
  return step;
}

/** The distributed step of a {@linkcode config} run, as `--json` reports it. */
export interface StepDoc {
  /** Its status. */
  status: string;
  /** Its data: counts and what each item collected. */
  data: { succeeded: number; failed: number; collected: { item: number; pid: number }[] };
}
