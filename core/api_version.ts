/**
 * The semver version of the otai plugin API this host implements. A plugin's `api` range must
 * be satisfied by it. 1.1 added to 1.0 (and changed nothing of it): declared services,
 * `start`/`stop`/`health`, events, and services' `close()` at shutdown.
 *
 * @example
 * ```ts
 * import { API_VERSION } from "@otai/cli";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(API_VERSION.split(".")[0], "1");
 * ```
 */
export const API_VERSION = "1.1.0";
