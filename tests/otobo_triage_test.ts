import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { openConfig, type RunnerResult } from "../mod.ts";
import { type OtoboEmulator, startOtoboEmulator } from "../examples/otobo/emulator.ts";
import { ROOT, runCli } from "./_helpers.ts";

/** examples/otobo/config.yml for this emulator, run once, with extra Client params. */
async function triageConfig(emulator: OtoboEmulator, dir: string, params = ""): Promise<string> {
  const port = new URL(emulator.url).port;
  const config = (await Deno.readTextFile(`${ROOT}examples/otobo/config.yml`))
    .replaceAll("from: ../../", `from: ${ROOT}`)
    // The checkout's plugins, whether the example names them by path or as published packages.
    .replace(
      /from: jsr:@otai\/([\w-]+)@\S+/g,
      (_, name: string) => `from: ${ROOT}plugins/${name.replaceAll("-", "_")}/mod.ts`,
    )
    .replaceAll("../ticket_triage/samples", `${ROOT}examples/ticket_triage/samples`)
    .replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`)
    .replace(/^\s+on: \{ interval: 5m \}.*\n/m, "")
    .replace(/^( +)session: true\n/m, (line, indent) => `${line}${params.replace(/^/gm, indent)}`);
  await Deno.writeTextFile(`${dir}/config.yml`, config);
  return `${dir}/config.yml`;
}

/** The triage notes otai added to a ticket. */
function triageNotes(emulator: OtoboEmulator, id: number): string[] {
  return emulator.tickets.get(id)!.Articles.filter((a) => a.Subject === "otai triage")
    .map((a) => a.Body);
}

Deno.test("the OTOBO example triages the stock web service's new tickets over real HTTP", async () => {
  await using emulator = await startOtoboEmulator();
  const fresh = [...emulator.tickets.values()].filter((t) => t.State === "new");
  const dir = await Deno.makeTempDir({ prefix: "otai-otobo-" });
  try {
    const config = await triageConfig(emulator, dir);
    const r = await runCli(["run", config], { env: { OTOBO_PASSWORD: "otai-demo" } });
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, new RegExp(`OTOBO triage\\n {4}tickets triaged: +${fresh.length}\\n`));
    match(r.stdout, /failed: +0\n/);
    for (const t of fresh) {
      const now = emulator.tickets.get(t.TicketID)!;
      strictEqual(now.State, "open", `ticket ${t.TicketID} is no longer new`);
      strictEqual(triageNotes(emulator, t.TicketID).length, 1, "one note each");
      strictEqual(now.DynamicField.OtaiMarks, "triage-v1");
    }
    ok(emulator.requests.log.every((r) => r.operation !== "TicketSearch" || r.method === "GET"));
    deepStrictEqual(emulator.notifications, [], "otai's notes notify no agent");
    const again = await runCli(["run", config], { env: { OTOBO_PASSWORD: "otai-demo" } });
    match(again.stdout, /tickets triaged: +0\n/, "triaged tickets are not triaged again");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the OTOBO triage under faults routes each ticket once, or names it for the next cycle", async () => {
  await using emulator = await startOtoboEmulator();
  const fresh = [...emulator.tickets.values()].filter((t) => t.State === "new").map((t) =>
    t.TicketID
  );
  const dir = await Deno.makeTempDir({ prefix: "otai-otobo-faults-" });
  Deno.env.set("OTOBO_PASSWORD", "otai-demo");
  try {
    const config = await triageConfig(
      emulator,
      dir,
      "timeout_ms: 300\nretries: 2\nretry_delay_ms: 10\n",
    );
    using app = await openConfig(config);
    emulator.faults = { error: 0.2, slow: 0.1, drop: 0.05, slow_ms: 600, seed: 13 };
    const named = new Set<string>();
    const done = () => fresh.every((id) => emulator.tickets.get(id)!.DynamicField.OtaiMarks);
    for (let cycle = 0; cycle < 8 && !done(); cycle++) {
      const results: RunnerResult[] = await app.run({ signal: AbortSignal.timeout(60_000) });
      const route = results[0]!.steps.find((s) => s.id === "route");
      const failures = (route?.data as { failures?: { item: { id: string }; error: string }[] })
        ?.failures ?? [];
      for (const f of failures) {
        match(f.error, new RegExp(`ticket "${f.item.id}"`), "a failure names its ticket");
        named.add(f.item.id);
      }
      for (const id of fresh) ok(triageNotes(emulator, id).length <= 1, `ticket ${id}`);
    }
    emulator.faults = undefined;
    ok(emulator.requests.log.filter((r) => r.fault).length > 0, "faults were injected");
    for (const id of fresh) {
      const now = emulator.tickets.get(id)!;
      deepStrictEqual(
        [now.State, triageNotes(emulator, id).length, now.DynamicField.OtaiMarks],
        ["open", 1, "triage-v1"],
        `ticket ${id}${named.has(String(id)) ? " (named as failed once)" : ""}`,
      );
    }
  } finally {
    Deno.env.delete("OTOBO_PASSWORD");
    await Deno.remove(dir, { recursive: true });
  }
});
