import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import type { ServiceProxy } from "@otai/cli/plugin";
import { ApplySupport, CANNOT_MARK, updateTicket } from "./_apply.ts";

/** A ticket system as a pipe sees it, recording calls; `apply` only when asked. */
function ticketSystem(options: { apply?: boolean; marked?: string[] } = {}) {
  const calls: unknown[][] = [];
  const marks = new Set(options.marked ?? []);
  const methods: Record<string, (...args: unknown[]) => unknown> = {
    update: (id, changes) => calls.push(["update", id, changes]),
    addNote: (id, note) => calls.push(["addNote", id, note]),
  };
  if (options.apply) {
    methods.apply = (id, action) => {
      calls.push(["apply", id, action]);
      const mark = (action as { mark?: string }).mark;
      if (id === "404") throw new Error(`Cannot update ticket "404": there is no such ticket`);
      if (mark !== undefined && marks.has(`${id}:${mark}`)) return { applied: false, ticket: {} };
      if (mark !== undefined) marks.add(`${id}:${mark}`);
      return { applied: true, ticket: {} };
    };
  }
  const service = new Proxy({}, {
    get: (_, name) => async (...args: unknown[]) => {
      const method = methods[String(name)];
      if (!method) throw new TypeError(`service "tickets" has no method "${String(name)}"`);
      return await method(...args);
    },
  }) as ServiceProxy;
  return { service, calls };
}

Deno.test("updateTicket() uses apply() with only the parts given", async () => {
  const { service, calls } = ticketSystem({ apply: true });
  const outcome = await updateTicket(service, {
    id: "7",
    changes: { queue: "IT", state: undefined },
    note: { body: "Moved", subject: undefined },
    mark: "triage",
  }, { support: new ApplySupport() });
  deepStrictEqual(outcome, { id: "7", applied: true });
  deepStrictEqual(calls, [["apply", "7", {
    changes: { queue: "IT" },
    note: { body: "Moved" },
    mark: "triage",
  }]]);
});

Deno.test("updateTicket() reports applied: false for a ticket that already has the mark", async () => {
  const { service, calls } = ticketSystem({ apply: true, marked: ["7:triage"] });
  const outcome = await updateTicket(service, {
    id: "7",
    changes: { queue: "IT" },
    mark: "triage",
  }, { support: new ApplySupport() });
  deepStrictEqual(outcome, { id: "7", applied: false });
  strictEqual(calls.length, 1);
});

Deno.test("updateTicket() falls back to update() and addNote() without apply()", async (t) => {
  await t.step("changes and a note", async () => {
    const { service, calls } = ticketSystem();
    const outcome = await updateTicket(service, {
      id: "3",
      changes: { queue: "Misc", tags: ["a"] },
      note: { body: "Moved", subject: "Triage" },
    }, { support: new ApplySupport() });
    deepStrictEqual(outcome, { id: "3", applied: true });
    deepStrictEqual(calls, [
      ["update", "3", { queue: "Misc", tags: ["a"] }],
      ["addNote", "3", { body: "Moved", subject: "Triage" }],
    ]);
  });
  await t.step("a note only", async () => {
    const { service, calls } = ticketSystem();
    await updateTicket(service, { id: "3", note: { body: "Hi" } }, {
      support: new ApplySupport(),
    });
    deepStrictEqual(calls, [["addNote", "3", { body: "Hi" }]]);
  });
  await t.step("empty changes call nothing", async () => {
    const { service, calls } = ticketSystem();
    deepStrictEqual(
      await updateTicket(service, { id: "3", changes: {} }, { support: new ApplySupport() }),
      { id: "3", applied: true },
    );
    deepStrictEqual(calls, []);
  });
});

Deno.test("updateTicket() refuses a mark without apply() and changes nothing", async () => {
  const { service, calls } = ticketSystem();
  await rejects(
    updateTicket(service, { id: "3", changes: { queue: "Misc" }, mark: "triage" }, {
      support: new ApplySupport(),
    }),
    { message: `Cannot update ticket "3": ${CANNOT_MARK}` },
  );
  deepStrictEqual(calls, []);
  strictEqual(
    CANNOT_MARK,
    "this ticket system cannot mark tickets as processed; drop mark: or use a ticket system " +
      "that supports apply",
  );
});

Deno.test("updateTicket() passes on other failures of apply()", async () => {
  const { service } = ticketSystem({ apply: true });
  const support = new ApplySupport();
  await rejects(updateTicket(service, { id: "404", note: { body: "x" } }, { support }), {
    message: 'Cannot update ticket "404": there is no such ticket',
  });
  strictEqual(support.get(service), true, "a failing apply() still shows the service has it");
});

Deno.test("ApplySupport remembers per service", async (t) => {
  await t.step("a service without apply() is asked once", async () => {
    const { service } = ticketSystem();
    const support = new ApplySupport();
    let probes = 0;
    const counted = new Proxy(service, {
      get: (target, name) => {
        if (name === "apply") probes++;
        return Reflect.get(target, name);
      },
    });
    for (const id of ["1", "2", "3"]) {
      await updateTicket(counted, { id, note: { body: "x" } }, { support });
    }
    strictEqual(probes, 1);
  });
  await t.step("across proxies of one step", async () => {
    const support = new ApplySupport();
    const first = ticketSystem();
    await updateTicket(first.service, { id: "1", note: { body: "x" } }, { support, step: "s" });
    strictEqual(support.get({}, "s"), false);
    const second = ticketSystem();
    await updateTicket(second.service, { id: "2", note: { body: "x" } }, { support, step: "s" });
    deepStrictEqual(second.calls, [["addNote", "2", { body: "x" }]]);
  });
  await t.step("a mark asks again, so a stale answer cannot refuse it", async () => {
    const support = new ApplySupport();
    support.set({}, "s", false);
    const { service, calls } = ticketSystem({ apply: true });
    const outcome = await updateTicket(service, { id: "1", mark: "m" }, { support, step: "s" });
    deepStrictEqual(outcome, { id: "1", applied: true });
    deepStrictEqual(calls, [["apply", "1", { mark: "m" }]]);
    strictEqual(support.get({}, "s"), true);
  });
  await t.step("a stale 'has apply()' falls back", async () => {
    const support = new ApplySupport();
    support.set({}, "s", true);
    const { service, calls } = ticketSystem();
    await updateTicket(service, { id: "1", changes: { queue: "IT" } }, { support, step: "s" });
    deepStrictEqual(calls, [["update", "1", { queue: "IT" }]]);
    strictEqual(support.get({}, "s"), false);
  });
});
