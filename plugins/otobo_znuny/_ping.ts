/**
 * The `Ping` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";
import { ticketSystem } from "./_tickets.ts";

/** Checks that OTOBO answers and accepts the login. */
export const pingPipe = definePipe({
  kind: "pipe",
  name: "Ping",
  services: { tickets: "otobo-znuny:Client" },
  description: "Checks that OTOBO/Znuny answers and accepts the login: { ok, user, session }",
  params: z.strictObject({
    /** False: report a failure as `{ ok: false, error }` instead of failing the step. */
    fail: z.boolean().default(true),
  }),
  async run(ctx) {
    try {
      const result = await ticketSystem(ctx).ping!() as { user: string; session: boolean };
      return { ok: true, user: result.user, session: result.session };
    } catch (e) {
      if (ctx.params.fail) throw e;
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  },
});
