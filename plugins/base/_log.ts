/**
 * The `Log` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";

const params = z.object({
  message: z.string({ error: "give message the text to log" }),
  level: z.enum(["debug", "info", "warning", "error"], {
    error: "give level as debug, info, warning or error",
  }).default("info"),
  data: z.record(z.string(), z.unknown(), {
    error: "give data as a map of values to log with the message",
  }).optional(),
});

/** Writes a record to the host log, with `data` as its properties. */
export const logPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Log",
  services: {},
  description: "Writes a message (with data as properties) to the host log",
  params,
  run(ctx): { logged: true } {
    const { message, level, data } = ctx.params;
    const write = level === "warning" ? ctx.log.warn : ctx.log[level];
    write.call(ctx.log, message, data ?? {});
    return { logged: true };
  },
});
