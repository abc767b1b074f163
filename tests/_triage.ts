/** The triage example as a test fixture: a temp copy, slowed down on demand, and its counts. */
import { DatabaseSync } from "node:sqlite";
import { fixture, ROOT } from "./_helpers.ts";

const EXAMPLE = `${ROOT}examples/ticket_triage/`;
/** The tickets of the example's incoming set. */
export const TICKETS = 240;

/** A copy of the triage example in a temp dir, its plugin paths made absolute. */
export async function copyExample(
  edit: (config: string) => string = (c) => c,
): Promise<{ dir: string; file: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "otai-triage-" });
  await Deno.mkdir(`${dir}/samples`);
  for (const f of ["train.csv", "incoming.csv", "incoming_truth.csv"]) {
    await Deno.copyFile(`${EXAMPLE}samples/${f}`, `${dir}/samples/${f}`);
  }
  const config = (await Deno.readTextFile(`${EXAMPLE}config.yml`)).replaceAll(
    "from: ../../",
    `from: ${ROOT}`,
  );
  await Deno.writeTextFile(`${dir}/config.yml`, edit(config));
  return {
    dir,
    file: `${dir}/config.yml`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** A 40 ms pause before each ticket's update, so a run is long enough to interrupt. */
export function slowedDown(config: string): string {
  return config.replace(
    "plugins:\n",
    `plugins:\n  - from: ${
      fixture("probe.ts")
    }\n    permissions: { read: true, env: true, net: true }\n`,
  ).replace(
    "          steps:\n            - id: confident",
    "          steps:\n            - { id: pause, use: probe:Sleep, params: { ms: 40 } }\n" +
      "            - id: confident",
  );
}

/** The triage marks and notes in a store, and the notes per ticket. */
export function counts(db: string): { marked: number; notes: number; perTicket: number[] } {
  const sql = new DatabaseSync(db, { readOnly: true });
  try {
    const marked = sql.prepare("SELECT count(*) AS n FROM marks WHERE key = 'triage-v1'").get()!;
    const notes = sql.prepare("SELECT count(*) AS n FROM notes").get()!;
    const per = sql.prepare("SELECT count(*) AS n FROM notes GROUP BY ticket_id").all();
    return {
      marked: Number(marked.n),
      notes: Number(notes.n),
      perTicket: per.map((r) => Number(r.n)),
    };
  } finally {
    sql.close();
  }
}
