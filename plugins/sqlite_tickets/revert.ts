/**
 * Undoes a run from the command line:
 *
 * ```sh
 * deno run --allow-read --allow-write plugins/sqlite_tickets/revert.ts data/tickets.db --run <id>
 * deno run --allow-read --allow-write plugins/sqlite_tickets/revert.ts data/tickets.db --since 2024-05-01T12:00:00Z
 * deno run --allow-read --allow-write plugins/sqlite_tickets/revert.ts data/tickets.db   # lists recent runs
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { TicketStore } from "./_store.ts";

const USAGE = `Usage: revert.ts <db file> [--run <id>] [--since <ISO 8601 time>] [--actor <name>]

Undoes the changes of a run (or since a time) in a sqlite-tickets store, newest first, and
records the undo as a run of its own. Without --run or --since, lists the latest runs.`;

/** Where {@linkcode main} writes: lines for stdout and stderr. */
export interface MainOutput {
  /** Prints a line of results. */
  out(line: string): void;
  /** Prints a line about a problem. */
  err(line: string): void;
}

/**
 * Runs the revert command line.
 *
 * @param args The arguments after the script name.
 * @param output Where lines go (default: the console).
 * @returns The exit code: 0 done, 1 failed or nothing to revert, 2 a usage error.
 *
 * @example
 * ```ts
 * import { main } from "./revert.ts";
 * import { match, strictEqual } from "node:assert/strict";
 * const lines: string[] = [];
 * strictEqual(main([], { out: (l) => lines.push(l), err: (l) => lines.push(l) }), 2);
 * match(lines.join("\n"), /Usage: revert\.ts <db file>/);
 * ```
 */
export function main(args: string[], output: MainOutput = console_()): number {
  const parsed = parse(args, output);
  if (typeof parsed === "number") return parsed;
  const { path, flags } = parsed;
  try {
    using store = new TicketStore(path, { actor: flags.actor });
    if (flags.run === undefined && flags.since === undefined) {
      listRuns(store, output);
      return 0;
    }
    return revert(store, flags, output);
  } catch (e) {
    output.err((e as Error).message);
    return 1;
  }
}

/** The command line's flags. */
interface Flags {
  run?: string | undefined;
  since?: string | undefined;
  actor: string;
}

/** The db file and the flags, or the exit code when the command line says not to go on. */
function parse(args: string[], output: MainOutput): { path: string; flags: Flags } | number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        run: { type: "string" },
        since: { type: "string" },
        actor: { type: "string", default: "otai-revert" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    output.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    output.err(`${positionals.length ? "Pass one db file" : "Pass the db file"}\n\n${USAGE}`);
    return 2;
  }
  return { path: positionals[0]!, flags: values };
}

/** Undoes what the flags name and says what it did; returns the exit code. */
function revert(store: TicketStore, flags: Flags, output: MainOutput): number {
  const r = store.revert({
    ...(flags.run === undefined ? {} : { run: flags.run }),
    ...(flags.since === undefined ? {} : { since: flags.since }),
  });
  const what = flags.run === undefined ? "" : ` of run "${flags.run}"`;
  const since = flags.since === undefined ? "" : ` since ${flags.since}`;
  if (!r.reverted && !r.conflicts) {
    output.err(
      `Nothing to revert: no changes${what}${since} are recorded; leave out --run and ` +
        "--since to list the runs",
    );
    return 1;
  }
  output.out(
    `Reverted ${r.reverted} change${r.reverted === 1 ? "" : "s"}${what}${since} on ` +
      `${r.tickets} ticket${r.tickets === 1 ? "" : "s"}; recorded as run "${r.run}"`,
  );
  if (r.conflicts) {
    output.out(
      `Left ${r.conflicts} change${r.conflicts === 1 ? "" : "s"} alone: the value was ` +
        "changed again afterwards by another run",
    );
  }
  return 0;
}

function listRuns(store: TicketStore, output: MainOutput): void {
  const runs = new Map<string, { changes: number; first: string; last: string }>();
  for (const row of store.history({ limit: 10_000 })) {
    const r = runs.get(row.run) ?? { changes: 0, first: row.at, last: row.at };
    r.changes++;
    r.first = row.at;
    runs.set(row.run, r);
  }
  if (!runs.size) {
    output.out("No changes recorded yet");
    return;
  }
  output.out("Latest runs (newest first); undo one with --run <id>:");
  for (const [run, r] of [...runs].slice(0, 20)) {
    output.out(
      `  ${run}  ${r.changes} change${r.changes === 1 ? "" : "s"}  ${r.first} .. ${r.last}`,
    );
  }
}

function console_(): MainOutput {
  return { out: (l) => console.log(l), err: (l) => console.error(l) };
}

if (import.meta.main) Deno.exit(main(Deno.args));
