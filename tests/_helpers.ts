import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { openConfig, type RunnerResult, type StepResult } from "../mod.ts";

/** Absolute path of a fixture plugin. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/plugins/${name}`, import.meta.url));
}

/** The project root. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));

/** A config file (and extra files) in a fresh temp dir, removed on dispose. */
export async function tempConfig(
  text: string,
  files: Record<string, string> = {},
): Promise<{ dir: string; file: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "otai-test-" });
  const file = `${dir}/config.yml`;
  await Deno.writeTextFile(file, text);
  for (const [name, content] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, content);
  }
  return {
    dir,
    file,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Runs the CLI as a subprocess; `flags` go to deno before the main module. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; flags?: string[] } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.flags ?? ["-A"]), `${ROOT}mod.ts`, ...args],
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** A file a test server answers with; `hang: true` never answers (until the server closes). */
export type Served = string | {
  body?: string;
  type?: string;
  status?: number;
  hang?: boolean;
  redirect?: string;
};

/** Serves files on 127.0.0.1 by path; `files` may be changed while it runs. */
export function serveFiles(
  files: Record<string, Served>,
): { url: string; requests: string[] } & AsyncDisposable {
  const requests: string[] = [];
  const hanging = new Set<() => void>();
  // Under a path of its own: Deno caches remote modules by URL, and a port is reused by later
  // servers, so a URL of an earlier test must never name a file of this one.
  const base = `/s${crypto.randomUUID().slice(0, 8)}`;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const full = new URL(req.url).pathname;
    const path = full.startsWith(`${base}/`) ? full.slice(base.length) : `(outside)${full}`;
    requests.push(path);
    const f = files[path];
    if (f === undefined) return new Response("not found", { status: 404 });
    const spec = typeof f === "string" ? { body: f } : f;
    if (spec.hang) {
      return new Promise<Response>((resolve) => {
        const done = () => resolve(new Response("late", { status: 503 }));
        hanging.add(done);
        req.signal.addEventListener("abort", () => {
          hanging.delete(done);
          done();
        });
      });
    }
    if (spec.redirect) return Response.redirect(spec.redirect, 302);
    return new Response(spec.body ?? "", {
      status: spec.status ?? 200,
      headers: { "content-type": spec.type ?? "application/typescript" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}${base}`,
    requests,
    [Symbol.asyncDispose]: async () => {
      for (const done of hanging) done();
      await server.shutdown();
    },
  };
}

/** Runs the CLI as a remote main runs: no deno.json, no lock, from `cwd`. */
export function runRemoteCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
    flags: ["-A", "--no-config", `--import-map=${ROOT}deno.json`],
  });
}

/** A step of the first runner (or of `runner`) in a run's results; throws when missing. */
export function stepOf(results: RunnerResult[], id: string, runner?: string): StepResult {
  const r = runner === undefined ? results[0] : results.find((x) => x.id === runner);
  const s = r?.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step "${id}" in ${JSON.stringify(r?.steps.map((x) => x.id))}`);
  return s;
}

/**
 * Opens a config of process-isolated plugins and runs it once. Each sandbox process works in
 * the config's directory, as under the CLI; this process keeps its own working directory, which
 * the test files running beside it (`deno test --parallel`) share.
 */
export async function runFromDir(file: string, timeoutMs = 60_000): Promise<RunnerResult[]> {
  using app = await openConfig(file);
  return await app.run({ signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * Runs a config through the CLI (`otai run --json`, as a subprocess in the config's directory)
 * and returns its runners' results. For plugins whose code gets stuck in a Worker sandbox: Deno
 * cannot stop such a Worker, so it must not be left spinning in the test process.
 */
export async function runCliResults(file: string): Promise<RunnerResult[]> {
  const r = await runCli(["run", file, "--json"], {
    cwd: dirname(file),
    flags: ["-A", "--unstable-worker-options", "--cached-only"],
  });
  try {
    return JSON.parse(r.stdout).runners;
  } catch {
    throw new Error(`otai run exited ${r.code} without its results:\n${r.stderr}`);
  }
}
