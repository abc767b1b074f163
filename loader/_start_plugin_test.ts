import { strictEqual } from "node:assert/strict";
import { LoadError } from "./_start_plugin.ts";

Deno.test("LoadError drops the terminal colour codes of Deno's coloured stack lines", () => {
  const said = "Failed loading x\n    at \x1b[0m\x1b[36mfile:///p.ts\x1b[0m:\x1b[33m1\x1b[0m";
  strictEqual(new LoadError("p", said).message, "Failed loading x\n    at file:///p.ts:1");
});
