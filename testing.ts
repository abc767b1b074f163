/**
 * Test helpers for plugin authors: run a pipe or create a service in-process with fakes, for
 * fast unit tests; serve packages from a local JSR-layout registry to try a plugin package
 * before publishing it. To test a plugin under its real permissions in its real sandbox, write
 * a small config and use `openConfig` from the main entry.
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
export { testPipe, testService } from "./testing/test_pipe.ts";
export type { TestPipeOptions } from "./testing/test_pipe.ts";
export { serveJsrRegistry } from "./testing/jsr_registry.ts";
export type { JsrPackage, JsrRegistry } from "./testing/jsr_registry.ts";
export { workspacePackages } from "./testing/workspace_packages.ts";
