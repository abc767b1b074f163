import { escapeControl } from "./_text.ts";
import { describePermissions } from "./_output.ts";
import { print, secrets } from "./_io.ts";
import { type LockStatus, type SafeListing, safeListing } from "./safe_listing.ts";

/**
 * `otai run --safe` and `otai check --safe`: checks the config on its own and lists what would
 * be loaded, without loading, fetching or evaluating any plugin code; nothing runs.
 *
 * @returns 0 (a config problem throws, and exits 2).
 */
export async function safe(file: string, json: boolean, command: string): Promise<number> {
  const listing = await safeListing(file);
  if (json) {
    const doc = { ...listing, status: "ok", safe: true };
    return print(JSON.stringify(secrets.redactValue(doc), null, 2) + "\n", 0);
  }
  const text = escapeControl(secrets.redactText(safeText(listing, command)), { lines: true });
  return print(text, 0);
}

/** The listing as text. */
function safeText(listing: SafeListing, command: string): string {
  const lines = [
    `${listing.config}: ok as far as it can be checked without plugins (--safe: no plugin ` +
    `code was loaded; "otai ${command}" without --safe checks the rest)`,
    `plugins (${listing.plugins.length}):`,
  ];
  for (const p of listing.plugins) {
    lines.push(
      `  plugins[${p.index}] ${p.prefix ?? "(prefix: its manifest name)"}  ${p.source}` +
        (p.enabled ? "" : "  (disabled: enabled: false; would not be loaded)"),
      `    isolation: ${
        p.isolation === "none"
          ? "none (trusted: it would run unconfined in otai's process)"
          : p.isolation
      }`,
      `    granted: ${describePermissions(p.permissions)}`,
      `    lock: ${lockText(p.lock, listing.lockFile)}`,
    );
    if (p.integrity) lines.push(`    integrity: ${p.integrity} (pinned in the config)`);
  }
  lines.push(`services (${listing.services.length}):`);
  for (const s of listing.services) lines.push(`  ${s.id}: ${s.use}`);
  lines.push(`runners (${listing.runners.length}):`);
  for (const r of listing.runners) lines.push(`  ${r.id}: ${r.steps.join(" -> ")}`);
  lines.push("nothing was run");
  return lines.join("\n") + "\n";
}

function lockText(lock: LockStatus, lockFile: string): string {
  switch (lock.status) {
    case "local":
      return "local code (not locked; hashed when it is loaded)";
    case "locked":
      return `locked in ${lockFile}: ${lock.resolved} ${lock.integrity}`;
    case "not-locked":
      return `not in ${lockFile} (--frozen would refuse it; run "otai lock")`;
    default:
      return `no otai.lock beside the config (run "otai lock" to pin remote plugins)`;
  }
}
