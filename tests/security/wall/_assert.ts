/**
 * Containment as an attacker would check it: canaries that must appear nowhere, a canary server
 * that nothing may reach, a host that still prints its results document, and output lines no
 * plugin may forge.
 *
 * @module
 */
import { fail, match, ok, strictEqual } from "node:assert/strict";
import type { Observed, Wall } from "./_wall.ts";

/** What `otai run --json` prints (the parts the suite reads). */
export interface ResultsDoc {
  config: string;
  status: string;
  runners: {
    id: string;
    status: string;
    steps: { id: string; status: string; data?: unknown; error?: string; reason?: string }[];
  }[];
  plugins: {
    prefix: string;
    isolation: string;
    status: string;
    restarts: number;
    lastError?: string;
  }[];
}

/** The text a forged line starts with: a fake log record, a fake otai message, a fake doc. */
export const FORGED = "WALL-FORGED";

/** A fake log record of otai's engine, with a timestamp no real record has. */
export const FORGED_LOG = `1999-09-09 09:09:09.999 +00:00 [INF] otai·engine: ${FORGED} all clear`;

/**
 * How a forged line begins: a fake record (its 1999 timestamp, or its level and category), a
 * fake error or message of otai or Deno, a fake results document, or the marker itself.
 */
const FORGED_START = /^(1999-09-09|\[INF\] otai|error:|otai:|\{"config"|WALL-FORGED)/;

/** The results document a run printed on stdout; fails saying what stdout holds instead. */
export function resultsDoc(run: Observed): ResultsDoc {
  let doc: ResultsDoc;
  try {
    doc = JSON.parse(run.stdout);
  } catch {
    fail(
      `${run.label}: stdout is not one JSON document (exit ${run.code}): ` +
        `${JSON.stringify(run.stdout.slice(0, 300))}; stderr: ${tail(run.stderr)}`,
    );
  }
  ok(Array.isArray(doc.runners), `${run.label}: the document has no runners: ${run.stdout}`);
  return doc;
}

/** A step of the results document, by id, in any runner. */
export function stepIn(
  doc: ResultsDoc,
  id: string,
): ResultsDoc["runners"][number]["steps"][number] {
  for (const r of doc.runners) {
    const s = r.steps.find((x) => x.id === id);
    if (s) return s;
  }
  fail(`no step "${id}" in the results: ${JSON.stringify(doc.runners)}`);
}

/** A plugin's health in the results document, by prefix. */
export function pluginIn(doc: ResultsDoc, prefix: string): ResultsDoc["plugins"][number] {
  const p = doc.plugins?.find((x) => x.prefix === prefix);
  if (!p) fail(`no plugin "${prefix}" in the results: ${JSON.stringify(doc.plugins)}`);
  return p;
}

/**
 * Nothing leaked: the canary token, the canary variable and every secret of the wall appear in
 * no run's stdout or stderr and in no file of the directory; nothing reached the canary server.
 */
export async function assertContained(w: Wall): Promise<void> {
  const places = new Map<string, string>();
  for (const r of w.runs) {
    places.set(`the stdout of "${r.label}"`, r.stdout);
    places.set(`the stderr of "${r.label}"`, r.stderr);
  }
  for (const [rel, text] of await w.files()) places.set(`the file ${rel}`, text);
  const needles = [
    { what: "the token of the canary file outside the grant", value: w.token },
    { what: "the value of the canary variable WALL_CANARY_ENV (never granted)", value: w.envValue },
    ...w.secrets,
  ];
  const leaks: string[] = [];
  for (const n of needles) {
    for (const [place, text] of places) {
      for (const form of forms(n.value, n.windows)) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        const around = text.slice(Math.max(0, at - 80), at + form.length + 80);
        leaks.push(`${n.what} leaked into ${place}: ${JSON.stringify(around)}`);
        break;
      }
    }
  }
  if (w.canary.hits.length) {
    leaks.push(
      `${w.canary.hits.length} connection(s) reached the canary server, which nothing grants: ` +
        w.canary.describe(),
    );
  }
  if (leaks.length) fail(leaks.join("\n"));
}

/** The forms a value takes in output: as it is and JSON-escaped; with `windows`, every slice. */
function forms(value: string, windows?: number): string[] {
  const out = new Set([value, JSON.stringify(value).slice(1, -1)]);
  if (windows) {
    for (let i = 0; i + windows <= value.length; i++) out.add(value.slice(i, i + windows));
  }
  return [...out];
}

/**
 * The host stood: each run ended as it should (its results document with the bystander step
 * `after` succeeded, or a refusal at load naming the plugin and the config line, no stack trace),
 * and no line of its output starts with forged text.
 */
export function assertHostStands(w: Wall, refusing: RegExp): void {
  for (const run of w.runs) {
    ok(
      !run.timedOut,
      `${run.label}: otai did not finish within its time limit; stderr: ${tail(run.stderr)}`,
    );
    assertNoForgedLines(run);
    const expect = run.expect === "either" ? (run.code === 2 ? "refused" : "run") : run.expect;
    if (expect === "refused") {
      strictEqual(run.code, 2, `${run.label}: expected a refusal at load (exit 2); ${show(run)}`);
      match(run.stderr, refusing, `${run.label}: the refusal names the plugin; ${show(run)}`);
      match(run.stderr, /config\.yml:\d+/, `${run.label}: the refusal names the config line`);
      ok(!/^\s+at .*:\d+:\d+\)?$/m.test(run.stderr), `${run.label}: a stack trace: ${run.stderr}`);
    } else if (expect === "run") {
      ok(run.code === 0 || run.code === 1, `${run.label}: exit code ${run.code}; ${show(run)}`);
      if (run.args.includes("--json")) {
        const after = stepIn(resultsDoc(run), "after");
        strictEqual(after.status, "succeeded", `${run.label}: the bystander step after the attack`);
      } else {
        match(
          run.stdout,
          /^ +after +succeeded\b/m,
          `${run.label}: the bystander step after the attack succeeded; ${show(run)}`,
        );
      }
    }
  }
}

/**
 * No line of a run's output that holds the forgery marker begins like a line of otai's (after
 * any escape sequence): the plugin's text may only appear inside a line otai began.
 */
export function assertNoForgedLines(run: Observed): void {
  for (const [name, text] of [["stdout", run.stdout], ["stderr", run.stderr]] as const) {
    for (const raw of text.split(/\r\n|\r|\n/)) {
      // deno-lint-ignore no-control-regex -- escape sequences are what this looks for
      const line = raw.replace(/^(\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|[\x00-\x1f])+/, "");
      if (line.includes(FORGED) && FORGED_START.test(line)) {
        fail(`${run.label}: a forged line starts a line of ${name}: ${JSON.stringify(raw)}`);
      }
    }
  }
}

/**
 * No escape sequence, carriage return or other control character reached the terminal (in a
 * results document on stdout, JSON escapes C0 controls, and that is what is checked there).
 */
export function assertNoControls(run: Observed): void {
  const json = run.args.includes("--json");
  for (const [name, text] of [["stdout", run.stdout], ["stderr", run.stderr]] as const) {
    const m = (json && name === "stdout" ? JSON_CONTROLS : CONTROLS).exec(text);
    if (m) {
      fail(
        `${run.label}: ${name} holds the control character ${JSON.stringify(m[0])}: ` +
          JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 60)),
      );
    }
  }
}

// deno-lint-ignore no-control-regex -- control characters are what these look for
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;
// deno-lint-ignore no-control-regex
const JSON_CONTROLS = /[\x00-\x09\x0b-\x1f]/;

/** The end of a text, for messages. */
export function tail(text: string, n = 600): string {
  return JSON.stringify(text.length > n ? "…" + text.slice(-n) : text);
}

function show(run: Observed): string {
  return `stdout: ${tail(run.stdout, 300)}; stderr: ${tail(run.stderr)}`;
}
