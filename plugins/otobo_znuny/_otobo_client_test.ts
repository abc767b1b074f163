import { match, rejects, strictEqual } from "node:assert/strict";
import { testService } from "@otai/cli/testing";
import plugin from "./mod.ts";
import { emulator, failure, system } from "./_testing.ts";

Deno.test("Client errors say what to do and never hold the password", async (t) => {
  await using emu = await emulator();
  for (const session of [false, true]) {
    await t.step(`a wrong password (session: ${session})`, async () => {
      const wrong = "wr0ng-Pa55!";
      const { tickets } = system(emu, { session }, wrong);
      const message = await failure(tickets.search({ limit: 1 }), [wrong]);
      match(message, /^Cannot log in to OTOBO as "otai": (TicketSearch|SessionCreate)\.AuthFail/);
      match(message, /check the password in env var "OTOBO_TEST_PASSWORD"/);
    });
  }
  await t.step("a host that does not answer, after the retries", async () => {
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = closed.addr.port;
    closed.close();
    const { tickets, logs } = system({ baseUrl: `http://127.0.0.1:${port}/otobo/x/Webservice/Y` }, {
      retries: 2,
      session: false,
    });
    match(
      await failure(tickets.get("1")),
      new RegExp(
        `^Cannot reach OTOBO at "http://127.0.0.1:${port}" to get ticket "1": .*refused.*; check base_url`,
      ),
    );
    strictEqual(logs.filter((l) => /trying again/.test(l.message)).length, 2);
  });
  await t.step("a server slower than timeout_ms", async () => {
    await using slow = await emulator({ faults: { slow: 1, slow_ms: 2000 } });
    const { tickets } = system(slow, { timeout_ms: 50, retries: 0 });
    match(
      await failure(tickets.search({ limit: 1 })),
      /did not answer (SessionCreate|TicketSearch) within 50 ms; check the server's load or raise timeout_ms/,
    );
  });
  await t.step("an answer that is not JSON, e.g. a proxy's login page", async () => {
    const html = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("<html>Sign in</html>"),
    );
    try {
      const { tickets } = system({ baseUrl: `http://127.0.0.1:${html.addr.port}/x` }, {
        session: false,
      });
      match(
        await failure(tickets.search({ limit: 1 })),
        /did not answer with a JSON object; check that base_url points at a GenericInterface/,
      );
    } finally {
      await html.shutdown();
    }
  });
  await t.step("a web service name OTOBO does not know", async () => {
    const { tickets } = system({ baseUrl: emu.baseUrl.replace(/\w+$/, "Nope") });
    match(
      await failure(tickets.search({ limit: 1 })),
      /answered HTTP 500; check that base_url names an existing, valid web service/,
    );
  });
  await t.step("a missing password variable fails the service creation", async () => {
    await rejects(
      testService(plugin, "Client", {
        base_url: emu.baseUrl,
        user: "otai",
        password_env: "OTOBO_TEST_UNSET",
      }),
      /env var "OTOBO_TEST_UNSET" is not set; set it to the password of agent "otai"/,
    );
  });
  await t.step("params are checked", async () => {
    await rejects(
      testService(plugin, "Client", { base_url: "ftp://x", user: "", password_env: "a secret" }),
      /must be the web service URL.*must name the agent login.*must be the name of an environment variable/s,
    );
  });
});

Deno.test("Client retries reads after HTTP 500s, dropped connections and timeouts", async (t) => {
  const faults = [{ error: 0.6 }, { drop: 0.6 }, { slow: 0.6, slow_ms: 2000 }];
  for (const fault of faults) {
    await t.step(JSON.stringify(fault), async () => {
      await using emu = await emulator();
      const { tickets, logs } = system(emu, { timeout_ms: 300, retries: 6 });
      emu.faults = { ...fault, when: "before", operations: ["TicketGet"], seed: 7 };
      strictEqual((await tickets.get("3"))!.id, "3");
      const faulty = emu.requests.log.filter((r) => r.fault).length;
      strictEqual(faulty >= 1, true, "a fault was injected");
      strictEqual(logs.filter((l) => /trying again/.test(l.message)).length, faulty);
    });
  }
});
