/**
 * Peak resident memory of a process and all its descendants (a host and its sandbox
 * subprocesses), sampled from `/proc` every 100 ms. Linux only; elsewhere the peak is NaN.
 *
 * @module
 */

const PAGE_KB = 4;

/** Starts sampling `pid`'s process tree; `stop` returns the highest sum seen, in MB. */
export function treePeakRss(pid: number): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const sample = async () => {
    while (running) {
      try {
        peak = Math.max(peak, await treeRssKb(pid));
      } catch {
        peak = NaN;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const done = sample();
  return {
    async stop() {
      running = false;
      await done;
      return peak / 1024;
    },
  };
}

async function treeRssKb(root: number): Promise<number> {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for await (const e of Deno.readDir("/proc")) {
    const pid = Number(e.name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      const list = children.get(ppid) ?? [];
      list.push(pid);
      children.set(ppid, list);
      rss.set(pid, Number(fields[21]) * PAGE_KB);
    } catch {
      // The process ended meanwhile.
    }
  }
  let sum = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    sum += rss.get(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return sum;
}
