/**
 * The building blocks of the config schema: field types with their messages, and the checks
 * that run within one value or entry (CEL syntax, "either use or for_each", schedules).
 *
 * @module
 */
import { z } from "zod";
import { Cron } from "croner";
import semver from "semver";
import { API_VERSION } from "../api_version.ts";
import { parseDuration } from "../duration.ts";
import { compileCondition, compileValue, templateSources } from "../expression.ts";

const DURATION = /^\d+(\.\d+)?(ms|s|m|h|d)$/;
export const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ONE_TEMPLATE = /^\s*\$\{\{[\s\S]*\}\}\s*$/;
const CEL_HINT = "; see the CEL language definition for the syntax";

const DURATION_HINT = 'expected a duration such as "500ms", "10s", "5m" or "1h"';
/** The longest duration a timer can wait (2^31 - 1 ms, about 24.8 days). */
export const MAX_DURATION_MS = 2 ** 31 - 1;
export const duration = z.union([
  z.number().positive(),
  z.string().regex(DURATION, { error: DURATION_HINT }),
], { error: DURATION_HINT }).refine((v) => !(durationMs(v) > MAX_DURATION_MS), {
  error: "too long: the largest duration is 24d (2147483647ms, the longest a timer waits); " +
    "for longer intervals use cron",
}).describe('A duration: "500ms", "10s", "5m", "1h", "1d" or seconds, at most 24d');
/** A duration field that refuses less than `ms` (written `min`, as the message shows it). */
export function atLeast(field: typeof duration, ms: number, min: string): typeof duration {
  return field.refine((v) => !(durationMs(v) < ms), { error: `too short: at least ${min}` });
}
/** A duration's milliseconds, or NaN for what is not one (the union reports those). */
function durationMs(v: unknown): number {
  try {
    return parseDuration(v as string | number);
  } catch {
    return NaN;
  }
}
export const id = z.string({ error: "expected an id (letters, digits, _)" }).regex(ID, {
  error: "expected an id of letters, digits and _ that does not start with a digit",
});
export const permissionValue = z.union([z.boolean(), z.array(z.string())], {
  error: "expected true, false or a list of strings",
});
export const injects = z.record(z.string(), z.string(), {
  error: "expected a mapping of injected name to service id",
}).describe("Injected name to service id");

/**
 * Whether a value is a mapping: a refinement that runs beside other problems (see `always`) may
 * be handed anything the user wrote, not only what the schema promises.
 */
export function isRecord(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Runs a refinement even beside other problems of the same value, so all are found at once. */
export const always = { when: () => true };

/** Reports each `${{ }}` template that is not valid CEL, at its own path. */
function checkTemplates(value: unknown, ctx: z.core.$RefinementCtx, path: PropertyKey[] = []) {
  if (typeof value === "string") {
    try {
      compileValue(value);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message + CEL_HINT, path });
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => checkTemplates(v, ctx, [...path, i]));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) checkTemplates(v, ctx, [...path, k]);
  }
}

function hasTemplate(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${{");
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasTemplate);
  return false;
}

export const condition = (error: string) =>
  z.string({ error }).superRefine((source, ctx) => {
    try {
      compileCondition(source);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message + CEL_HINT });
    }
  });

export const stepParams = z.record(z.string(), z.unknown(), {
  error: "expected a mapping of params",
})
  .superRefine((v, ctx) => checkTemplates(v, ctx))
  .describe("Params; strings may hold ${{ expression }} templates");

export const serviceParams = z.record(z.string(), z.unknown(), {
  error: "expected a mapping of params",
})
  .check(z.superRefine((v, ctx) => {
    if (hasTemplate(v)) {
      ctx.addIssue({
        code: "custom",
        message: "service params cannot hold ${{ }} expressions (they are evaluated per step); " +
          "use ${ENV_VAR} or a literal value",
      });
    }
  }))
  .describe("Static params: ${ENV_VAR} substitution and literals only");

/** A field that is exactly one `${{ expression }}`; `example` shows how to write it. */
function oneExpression(field: string, what: string, example: string) {
  return z.string({ error: `expected "\${{ expression }}" ${what}` })
    .superRefine((source, ctx) => {
      if (templateSources(source).length !== 1 || !ONE_TEMPLATE.test(source)) {
        ctx.addIssue({
          code: "custom",
          message: `write ${field} as one expression: "\${{ ${example} }}"`,
        });
        return;
      }
      checkTemplates(source, ctx);
    });
}

export const forEach = oneExpression("for_each", "yielding a list", "steps.x.data.items");
export const collect = oneExpression("collect", "yielding a value per item", "item.id");

export function checkStep(
  s: {
    use?: unknown;
    for_each?: unknown;
    steps?: unknown;
    concurrency?: unknown;
    collect?: unknown;
    distribute?: unknown;
  },
  ctx: z.core.$RefinementCtx,
): void {
  if (!isRecord(s)) return;
  const loop = s.for_each !== undefined || s.steps !== undefined;
  const problem = (message: string, path: PropertyKey[] = []) =>
    ctx.addIssue({ code: "custom", message, path });
  if (s.use !== undefined && loop) {
    problem("a step has either use (a pipe) or for_each with steps, not both");
  } else if (s.use === undefined && !loop) {
    problem('missing "use": name the pipe to run as "prefix:Name"');
  } else if (loop && (s.for_each === undefined || s.steps === undefined)) {
    problem("a for_each step needs both for_each and steps");
  }
  if (s.concurrency !== undefined && !loop) {
    problem("concurrency applies to for_each steps only", ["concurrency"]);
  }
  if (s.collect !== undefined && !loop) {
    problem("collect applies to for_each steps only", ["collect"]);
  }
  if (s.distribute !== undefined && !loop) {
    problem("distribute applies to for_each steps only", ["distribute"]);
  }
}

export const schedule = z.strictObject({
  interval: duration.optional(),
  cron: z.string().optional().describe('A cron pattern such as "*/5 * * * *"'),
})
  .check(z.superRefine((o, ctx) => {
    if (!isRecord(o)) return;
    if ((o.interval === undefined) === (o.cron === undefined)) {
      ctx.addIssue({ code: "custom", message: "give exactly one of interval or cron" });
    }
    if (typeof o.cron === "string") {
      try {
        new Cron(o.cron, { paused: true }).stop();
      } catch (e) {
        ctx.addIssue({
          code: "custom",
          path: ["cron"],
          message: `invalid cron pattern "${o.cron}": ${(e as Error).message}`,
        });
      }
    }
  }, always)).describe("A schedule: { interval } or { cron }; absent means run once");

export function checkRunner(r: { on?: unknown; repeat?: unknown }, ctx: z.core.$RefinementCtx) {
  if (!isRecord(r)) return;
  if (r.repeat !== undefined && r.on !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["repeat"],
      message: "give either on (a schedule) or repeat, not both",
    });
  }
}

export const apiRange = z.string().check(z.superRefine((range, ctx) => {
  const valid = semver.validRange(range);
  if (!valid) {
    ctx.addIssue({
      code: "custom",
      message: `"${range}" is not a semver range; write e.g. "^1.0"`,
    });
  } else if (!semver.satisfies(API_VERSION, valid)) {
    ctx.addIssue({
      code: "custom",
      message: `this config targets otai API "${range}", but this otai implements ` +
        `${API_VERSION}; use an otai release that matches, or update the config`,
    });
  }
})).describe("The plugin API range this config targets");
