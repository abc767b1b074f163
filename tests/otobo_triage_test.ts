import { match, ok, strictEqual } from "node:assert/strict";
import { startOtoboEmulator } from "../examples/otobo/emulator.ts";
import { ROOT, runCli } from "./_helpers.ts";

Deno.test("the OTOBO example triages the emulator's new tickets over real HTTP", async () => {
  await using emulator = await startOtoboEmulator();
  const fresh = [...emulator.tickets.values()].filter((t) => t.State === "new");
  const articlesBefore = new Map(fresh.map((t) => [t.TicketID, t.Articles.length]));
  const dir = await Deno.makeTempDir({ prefix: "otai-otobo-" });
  try {
    const port = new URL(emulator.url).port;
    const config = (await Deno.readTextFile(`${ROOT}examples/otobo/config.yml`))
      .replaceAll("from: ../../", `from: ${ROOT}`)
      .replaceAll("../ticket_triage/samples", `${ROOT}examples/ticket_triage/samples`)
      .replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`)
      .replace(/^\s+on: \{ interval: 5m \}.*\n/m, "");
    await Deno.writeTextFile(`${dir}/config.yml`, config);
    const r = await runCli(["run", `${dir}/config.yml`], { env: { OTOBO_PASSWORD: "otai-demo" } });
    strictEqual(r.code, 0, r.stderr);
    match(r.stdout, new RegExp(`OTOBO triage\\n {4}tickets triaged: +${fresh.length}\\n`));
    match(r.stdout, /failed: +0/);
    for (const t of fresh) {
      const now = emulator.tickets.get(t.TicketID)!;
      strictEqual(now.State, "open", `ticket ${t.TicketID} is no longer new`);
      strictEqual(now.Articles.length, articlesBefore.get(t.TicketID)! + 1, "one note each");
      ok(/^otai triage$/.test(now.Articles.at(-1)!.Subject));
    }
    const again = await runCli(["run", `${dir}/config.yml`], {
      env: { OTOBO_PASSWORD: "otai-demo" },
    });
    match(again.stdout, /tickets triaged: +0\n/, "triaged tickets are not triaged again");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
