import { match, ok, strictEqual } from "node:assert/strict";
import { HostLoop, type LoopLink } from "./_host_loop.ts";
import type { DoneMessage, LoopMessage } from "./protocol.ts";
import type { LoopInput } from "../../core/contract.ts";

const input: LoopInput = {
  items: Array.from({ length: 100 }, (_, i) => i),
  base: 0,
  concurrency: 2,
  steps: [{
    id: "a",
    pipe: "A",
    params: null,
    holes: [],
    services: {},
    timeoutMs: 50,
    continueOnError: false,
  }],
  layers: [],
  step: { id: "each", runner: "main" },
};

/** A sandbox side that never ends the loop; `beat` sends a report every 10 ms. */
function fakeLink(beat: (loop: HostLoop, msg: LoopMessage) => void) {
  let id = 1;
  let dead: string | undefined;
  let end!: (m: DoneMessage) => void;
  const link: LoopLink = {
    id: () => id++,
    grant() {},
    revoke() {},
    scopes: () => [],
    request(msg) {
      beat(loop, msg);
      return new Promise((r) => (end = r));
    },
    send() {},
    die(reason) {
      dead = reason;
      end({
        t: "done",
        id: 1,
        outcome: { status: "failed", error: { name: "Error", message: reason } },
      });
    },
    dead: () => dead,
    killAfterMs: 20,
  };
  const loop: HostLoop = new HostLoop(input, {}, link);
  return loop;
}

Deno.test("a sandbox that reports a loop alive but finishes no item is stopped", async () => {
  let timer: ReturnType<typeof setInterval> | undefined;
  const loop = fakeLink((l, msg) => {
    timer = setInterval(() => {
      l.progress({
        t: "progress",
        id: msg.id,
        next: 2,
        open: [0, 1],
        succeeded: 0,
        failed: 0,
        skipped: 0,
        failures: [],
      });
    }, 10);
  });
  const t0 = Date.now();
  const run = await loop.run();
  clearInterval(timer);
  ok(run.died, "the loop ended as died");
  match(run.died!.reason, /no item finished within/);
  ok(Date.now() - t0 < 5000);
  // Items 0 and 1 were in flight; at most a window more may have started: none ran twice.
  strictEqual(run.died!.resumeFrom, 2 + 16);
  strictEqual(run.counts.failed, 18);
});
