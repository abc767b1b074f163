/**
 * The commercial-plugin pattern: a license key checked in `setup()`, before any step runs.
 *
 * - The key comes from an environment variable the config grants (`ACME_LICENSE_KEY`), never
 *   from the config text.
 * - A trial key, `TRIAL-<yyyy-mm-dd>`, is valid until that day, offline.
 * - Any other key is checked online at `ACME_LICENSE_URL` (granted net), and a good answer is
 *   cached in `ACME_LICENSE_CACHE` (granted read and write) for a grace period of 7 days, so a
 *   license server that is down does not stop a help desk.
 *
 * A key that fails stops `otai run` and `otai check` with exit code 2 and the message below.
 *
 * @module
 */
import { definePipe, definePlugin, type PluginManifest, type SetupContext } from "../../plugin.ts";

/** How long a good online answer keeps counting when the license server cannot be reached. */
export const GRACE_MS = 7 * 24 * 3600 * 1000;

/** Checks the license key; throws with what to do when it is not valid. */
export async function checkLicense(ctx: SetupContext, now = Date.now()): Promise<void> {
  const key = Deno.env.get("ACME_LICENSE_KEY");
  if (!key) throw new Error("no license key: set ACME_LICENSE_KEY (and grant it under env)");
  const trial = /^TRIAL-(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (trial) {
    if (Date.parse(`${trial[1]}T23:59:59Z`) < now) {
      throw new Error(`the trial ended on ${trial[1]}; buy a license at acme.example`);
    }
    return;
  }
  const url = Deno.env.get("ACME_LICENSE_URL") ?? "https://license.acme.example/check";
  const cache = Deno.env.get("ACME_LICENSE_CACHE");
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ key }),
      signal: ctx.signal,
    });
  } catch (e) {
    const checked = cache ? await lastGoodCheck(cache) : undefined;
    if (checked !== undefined && now - checked < GRACE_MS) {
      ctx.log.warn("The license server cannot be reached; using the check of {at}", {
        at: new Date(checked).toISOString(),
      });
      return;
    }
    throw new Error(
      `the license server cannot be reached (${(e as Error).message}) and there is no good ` +
        "check within the last 7 days; check the network",
    );
  }
  const body = await answer.json().catch(() => ({})) as { valid?: boolean; reason?: string };
  if (!answer.ok || body.valid !== true) {
    throw new Error(`the license key was refused: ${body.reason ?? `HTTP ${answer.status}`}`);
  }
  if (cache) await Deno.writeTextFile(cache, JSON.stringify({ checked_at: now }));
}

async function lastGoodCheck(path: string): Promise<number | undefined> {
  try {
    const at = JSON.parse(await Deno.readTextFile(path)).checked_at;
    return typeof at === "number" ? at : undefined;
  } catch {
    return undefined;
  }
}

/** The plugin: its one pipe runs only where the license is good. */
const plugin: PluginManifest = definePlugin({
  name: "licensed",
  version: "1.0.0",
  api: "^1.0",
  description: "A commercial plugin that checks its license key at start-up",
  permissions: { env: ["ACME_LICENSE_*"], net: true, read: true, write: true },
  setup: (ctx) => checkLicense(ctx),
  injectables: [
    definePipe({ kind: "pipe", name: "Work", run: () => ({ worked: true }) }),
  ],
});
export { plugin as default };
