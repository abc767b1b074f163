import { openConfig } from "../loader/open_config.ts";
import { escapeControl } from "./_text.ts";
import { checkReport } from "./_output.ts";
import { print, secrets } from "./_io.ts";
import type { Modes } from "./_args.ts";

/**
 * `otai check`: loads every plugin and creates the services, runs nothing.
 *
 * @returns 0, or 2 when a service could not be created.
 */
export async function check(file: string, json: boolean, modes: Modes): Promise<number> {
  await using app = await openConfig(file, { chdir: true, ...modes });
  secrets.addAll(app.secrets);
  if (json) {
    const doc = {
      config: file,
      status: app.failedServices.size ? "failed" : "ok",
      plugins: app.plugins.map((p) => ({
        prefix: p.prefix,
        name: p.manifest.name,
        version: p.manifest.version,
        api: p.manifest.api,
        url: p.url,
        source: p.source,
        permissions: p.effective,
        injectables: p.manifest.injectables,
      })),
      services: app.plan.services.map((s) => ({
        id: s.id,
        use: s.entry.key,
        ...(app.failedServices.has(s.id) ? { error: app.failedServices.get(s.id) } : {}),
      })),
      runners: app.plan.runners.map((r) => ({ id: r.id, steps: r.steps.map((s) => s.id) })),
    };
    return print(
      JSON.stringify(secrets.redactValue(doc), null, 2) + "\n",
      app.failedServices.size ? 2 : 0,
    );
  }
  const text = escapeControl(secrets.redactText(checkReport(app)), { lines: true });
  return print(text, app.failedServices.size ? 2 : 0);
}
