/**
 * Test helpers for plugin authors: run a pipe or create a service in-process with fakes
 * (`testPipe`, `testService`, `fakeTicketSystem`), for fast unit tests; run a config given as an
 * object with every plugin in its real sandbox under its real permissions (`runConfig`); serve
 * packages from a local JSR-layout registry to try a plugin package before publishing it.
 *
 * @example
 * ```ts
 * import { definePipe, definePlugin } from "@otai/cli/plugin";
 * import { testPipe } from "@otai/cli/testing";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const plugin = definePlugin({
 *   name: "echo",
 *   version: "1.0.0",
 *   api: "^1.0",
 *   injectables: [definePipe({ kind: "pipe", name: "Echo", run: (ctx) => ctx.params })],
 * });
 * const result = await testPipe(plugin, "Echo", { params: { a: 1 } });
 * deepStrictEqual(result, { status: "succeeded", data: { a: 1 } });
 * ```
 *
 * @module
 */
export { testPipe } from "./testing/test_pipe.ts";
export type { TestPipeOptions } from "./testing/test_pipe.ts";
export { testService } from "./testing/test_service.ts";
export type { TestedService, TestServiceOptions } from "./testing/test_service.ts";
export { FakeTicketSystem, fakeTicketSystem } from "./testing/fake_ticket_system.ts";
export type {
  FakeApplyAction,
  FakeTicket,
  FakeTicketSearch,
  RecordedUpdate,
} from "./testing/fake_ticket_system.ts";
export { runConfig } from "./testing/run_config.ts";
export type { RunConfigOptions } from "./testing/run_config.ts";
export { serveJsrRegistry } from "./testing/jsr_registry.ts";
export type { JsrPackage, JsrRegistry } from "./testing/jsr_registry.ts";
export { workspacePackages } from "./testing/workspace_packages.ts";
