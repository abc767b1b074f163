import { deepStrictEqual } from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { deprecated } from "./deprecated.ts";

Deno.test("deprecated() warns once per name, naming the replacement", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (r) => records.push(r) },
    loggers: [{ category: ["otai", "deprecation"], sinks: ["memory"], lowestLevel: "debug" }],
    reset: true,
  });
  try {
    deepStrictEqual(
      [deprecated("option a", "option b"), deprecated("option a", "option b")],
      [true, false],
    );
    deepStrictEqual(deprecated("option c", "option d"), true);
    deepStrictEqual(
      records.map((r) => [r.level, r.category.join("."), r.properties]),
      [
        ["warning", "otai.deprecation", { name: "option a", replacement: "option b" }],
        ["warning", "otai.deprecation", { name: "option c", replacement: "option d" }],
      ],
    );
    deepStrictEqual(
      records[0]!.message.join(""),
      "Deprecated: option a; use option b instead (the next major version of otai removes it)",
    );
  } finally {
    await reset();
  }
});
