/**
 * Queue mode for benchmarks: a `redis-server` of their own on a free loopback port, and
 * `otai worker` processes on a config, each waited for until it says it is ready.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const MOD = fileURLToPath(new URL("../mod.ts", import.meta.url));

/** Whether `redis-server` can be started here. */
export async function haveRedis(): Promise<boolean> {
  try {
    return (await new Deno.Command("redis-server", { args: ["--version"], stdout: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/** A Redis and workers; dispose to stop them all. */
export interface QueueWorld extends AsyncDisposable {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Starts `count` `otai worker <config> --concurrency <concurrency>`, each until ready. */
  workers(config: string, count: number, concurrency: number): Promise<void>;
}

/** Starts a `redis-server` without persistence on a free loopback port. */
export async function startQueue(): Promise<QueueWorld> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const redis = new Deno.Command("redis-server", {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdout: "null",
  }).spawn();
  // Until it accepts connections (bounded: 10 s).
  for (let i = 0;; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch (e) {
      if (i >= 200) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const workers: Deno.ChildProcess[] = [];
  return {
    url: `redis://127.0.0.1:${port}`,
    async workers(config, count, concurrency) {
      for (let i = 0; i < count; i++) {
        const w = new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", MOD, "worker", config, "--concurrency", String(concurrency)],
          stdout: "null",
          stderr: "piped",
        }).spawn();
        workers.push(w);
        const reader = w.stderr.pipeThrough(new TextDecoderStream()).getReader();
        for (let seen = ""; !seen.includes("ready");) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`otai worker ended before it was ready:\n${seen}`);
          seen += value;
        }
        reader.releaseLock();
        void w.stderr.pipeTo(new WritableStream()).catch(() => {});
      }
    },
    async [Symbol.asyncDispose]() {
      for (const w of workers) {
        w.kill("SIGTERM");
        await w.status;
      }
      redis.kill("SIGTERM");
      await redis.status;
    },
  };
}
