/**
 * Class 6: blame. A service that never answers, called by an innocent pipe of another plugin:
 * the service's plugin must be the one stopped or quarantined, never the caller's (nor a plugin
 * that only relayed the call).
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";
import { config, type WallCase } from "./_case.ts";
import { pluginIn, resultsDoc, stepIn } from "./_assert.ts";
import type { Wall } from "./_wall.ts";

/** The innocent bystander calls `service.method` and gives up after 500 ms. */
function call(
  service: string,
  method: string,
  { id = "call", args = [], inner = false }: { id?: string; args?: unknown[]; inner?: boolean } =
    {},
): unknown {
  return {
    id,
    use: "wall-bystander:Call",
    injects: { [service]: service },
    params: { service, method, args },
    timeout: "2s", // room, on a busy machine, for a failure to travel back through a relay
    ...(inner ? {} : { continue_on_error: true }),
  };
}

/** The hanging service's plugin is blamed; the innocent ones are untouched. */
function blamed(w: Wall, innocent: string[]): void {
  const doc = resultsDoc(w.runs[0]!);
  const s = stepIn(doc, "call");
  strictEqual(s.status, "failed", `the call to a service that never answers: ${JSON.stringify(s)}`);
  const guilty = pluginIn(doc, "wall-hang-service");
  ok(
    guilty.status !== "running" || guilty.restarts > 0 || guilty.lastError !== undefined,
    `the plugin whose service never answered was not stopped: ${JSON.stringify(doc.plugins)}`,
  );
  for (const prefix of innocent) {
    const p = pluginIn(doc, prefix);
    ok(
      p.status === "running" && p.restarts === 0 && p.lastError === undefined,
      `${prefix} was blamed for another plugin's service: ${JSON.stringify(p)}`,
    );
  }
}

function hang(w: Wall) {
  return { from: w.plugin("hang_service") };
}

/** The attacks on who is blamed for a stuck service. */
export const BLAME_CASES: readonly WallCase[] = [
  {
    name: "service_awaits_forever",
    config: (w) =>
      config(w, {
        plugins: [hang(w)],
        services: [{ id: "svc", use: "wall-hang-service:Hang" }],
        defaults: { kill_after: "300ms" },
        steps: [call("svc", "wait")],
      }),
    check: (w) => blamed(w, ["wall-bystander"]),
  },
  {
    name: "service_spins_forever",
    config: (w) =>
      config(w, {
        plugins: [hang(w)],
        services: [{ id: "svc", use: "wall-hang-service:Hang" }],
        defaults: { kill_after: "300ms" },
        steps: [call("svc", "spin")],
      }),
    check: (w) => blamed(w, ["wall-bystander"]),
  },
  {
    name: "service_awaits_forever_for_each_item",
    config: (w) =>
      config(w, {
        plugins: [hang(w)],
        services: [{ id: "svc", use: "wall-hang-service:Hang" }],
        defaults: { kill_after: "300ms" },
        steps: [{
          id: "call",
          for_each: "${{ [1, 2, 3, 4] }}",
          concurrency: 4,
          continue_on_error: true,
          steps: [call("svc", "wait", { id: "each", inner: true })],
        }],
      }),
    check: (w) => blamed(w, ["wall-bystander"]),
  },
  {
    name: "service_hangs_behind_a_relay",
    config: (w) =>
      config(w, {
        plugins: [hang(w), { from: w.plugin("relay_service") }],
        services: [
          { id: "inner", use: "wall-hang-service:Hang" },
          { id: "outer", use: "wall-relay:Relay", injects: { inner: "inner" } },
        ],
        defaults: { kill_after: "300ms" },
        steps: [call("outer", "relay", { args: ["wait"] })],
      }),
    check: (w) => blamed(w, ["wall-bystander", "wall-relay"]),
  },
];
