/**
 * The hooks a sandbox must pass before it takes requests: the manifest's `setup()`, and in a
 * sandbox that replaces one whose plugin was started, its `start()` again.
 *
 * @module
 */
import type { PluginSandbox } from "./sandbox.ts";
import { START_TIMEOUT_MS } from "../../core/engine/lifecycle.ts";
import { rebuild } from "./_replies.ts";

/** How long a manifest's `setup()` may take (an online license check included). */
const SETUP_TIMEOUT_MS = 30_000;

/**
 * Runs `setup()` or `start()` in the sandbox.
 *
 * @throws {Error} The plugin's own error (`setup failed: …`, `start failed: …`), or a timeout.
 */
export async function mustPass(sandbox: PluginSandbox, hook: "setup" | "start"): Promise<void> {
  const outcome = hook === "setup"
    ? await sandbox.ask({ hook }, SETUP_TIMEOUT_MS)
    : await sandbox.ask({ hook }, START_TIMEOUT_MS);
  if (outcome.status !== "failed") return;
  throw rebuild({ ...outcome.error, message: `${hook} failed: ${outcome.error.message}` });
}
