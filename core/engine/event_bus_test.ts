import { deepStrictEqual } from "node:assert/strict";
import type { LifecycleRequest, Outcome } from "../contract.ts";
import type { StepFailedEvent } from "../events.ts";
import type { PluginHandle } from "../registry.ts";
import { EventBus } from "./event_bus.ts";

/** A subscriber whose handler answers what `answer` gives, recording what it got. */
function subscriber(answer: (n: number) => Promise<Outcome>) {
  const got: number[] = [];
  const runtime = {
    lifecycle(request: LifecycleRequest): Promise<Outcome> {
      const event = (request as { event: StepFailedEvent }).event;
      got.push(event.index!);
      return answer(event.index!);
    },
  };
  const plugin = {
    prefix: "sub",
    index: 0,
    url: "file:///p/mod.ts",
    source: { specifier: "file:///p/mod.ts" },
    manifest: { events: ["step.failed"] },
    runtime,
  } as unknown as PluginHandle;
  return { plugin, got };
}

const failed = (index: number): StepFailedEvent => ({
  type: "step.failed",
  runner: "r",
  cycle: 1,
  step: "s",
  error: "x",
  index,
  at: "",
});
const locate = () => ({ file: "config.yml", line: 1, column: 1 });

Deno.test("EventBus.emit() never waits; a full queue drops and counts, in order", async (t) => {
  await t.step("a slow handler: the queue holds 2, the rest are dropped", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => open = resolve);
    const s = subscriber(() => gate.then(() => ({ status: "succeeded", data: null })));
    const bus = new EventBus([s.plugin], { locate, capacity: 2 });
    for (let i = 0; i < 5; i++) bus.emit(failed(i));
    open();
    await bus.drain(60_000);
    deepStrictEqual(s.got, [0, 1]);
    deepStrictEqual(bus.stats().get("sub"), { delivered: 2, failed: 0, dropped: 3 });
  });
  await t.step("a failing handler counts as failed; the next event still arrives", async () => {
    const s = subscriber((n) =>
      Promise.resolve(
        n === 0
          ? { status: "failed", error: { name: "Error", message: "boom" } }
          : { status: "succeeded", data: null },
      )
    );
    const bus = new EventBus([s.plugin], { locate });
    bus.emit(failed(0));
    bus.emit(failed(1));
    await bus.drain(60_000);
    deepStrictEqual(bus.stats().get("sub"), { delivered: 1, failed: 1, dropped: 0 });
  });
  await t.step("a handler that hangs: the drain gives up, what is queued is dropped", async () => {
    const s = subscriber(() => new Promise<never>(() => {}));
    const bus = new EventBus([s.plugin], { locate });
    for (let i = 0; i < 3; i++) bus.emit(failed(i));
    await bus.drain(1);
    bus.emit(failed(3));
    deepStrictEqual(s.got, [0]);
    deepStrictEqual(bus.stats().get("sub"), { delivered: 0, failed: 0, dropped: 3 });
  });
});
