import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { ConfigError, type RunnerResult } from "../mod.ts";
import { QUEUES, syntheticRows, toCsv } from "../plugins/classifier/_testing.ts";
import { fixture, ROOT, runFromDir, stepOf, tempConfig } from "./_helpers.ts";

const PLUGIN = `${ROOT}plugins/classifier/mod.ts`;
const HOLDOUT = "holdout: { fraction: 0.25, seed: 7 }";
const DATA = "data: ./data/tickets.csv, text: [subject, body], label: queue";
const MODEL = "model: ./models/queue.json";

/** A config in a temp dir with `data/tickets.csv` (synthetic) and `models/`, run from its dir. */
async function runConfig(
  text: string,
): Promise<{ results: RunnerResult[]; dir: string } & AsyncDisposable> {
  const cfg = await tempConfig(text);
  await Deno.mkdir(`${cfg.dir}/data`);
  await Deno.mkdir(`${cfg.dir}/models`);
  const rows = syntheticRows(220, { seed: 3, unlabelled: 10 });
  await Deno.writeTextFile(`${cfg.dir}/data/tickets.csv`, toCsv(rows));
  try {
    const results = await runFromDir(cfg.file, 60_000);
    return { results, dir: cfg.dir, [Symbol.asyncDispose]: cfg[Symbol.asyncDispose] };
  } catch (e) {
    await cfg[Symbol.asyncDispose]();
    throw e;
  }
}

Deno.test("classifier trains, classifies and evaluates in its sandbox", async (t) => {
  const inbox = syntheticRows(5, { seed: 123 }).map(({ id, subject, body }) => ({
    id: `N-${id}`,
    subject,
    body,
  }));
  await using run = await runConfig(`plugins:
  - from: ${PLUGIN}
    permissions: { read: ["./data", "./models"], write: ["./models"] }
  - from: ${fixture("probe.ts")}
    permissions: { read: true, env: true, net: true }
orchestrator:
  runners:
    - id: main
      run:
        - id: train
          use: classifier:Train
          params: { ${DATA}, ${MODEL}, ${HOLDOUT}, options: { buckets_log2: 16 } }
        - id: again
          use: classifier:Train
          params: { ${DATA}, ${MODEL}, if_missing: true }
        - id: inbox
          use: probe:Echo
          params: { tickets: ${JSON.stringify(inbox)} }
        - id: classify
          use: classifier:Classify
          params: { ${MODEL}, tickets: "\${{ steps.inbox.data.tickets }}", top: 2 }
        - id: each
          for_each: "\${{ steps.inbox.data.tickets }}"
          concurrency: 4
          steps:
            - id: one
              use: classifier:Classify
              params: { ${MODEL}, tickets: "\${{ [item] }}" }
        - id: evaluate
          use: classifier:Evaluate
          params: { ${MODEL}, ${DATA}, ${HOLDOUT} }
`);
  const { results } = run;
  strictEqual(results[0]?.status, "succeeded", JSON.stringify(results[0]?.steps));

  await t.step("Train reports what it learned and writes the model file", async () => {
    const data = stepOf(results, "train").data as Record<string, unknown>;
    deepStrictEqual(Object.keys(data).sort(), [
      "bytes",
      "examples",
      "labels",
      "model",
      "skipped_rows",
      "train_seconds",
    ]);
    strictEqual(data.model, "./models/queue.json");
    strictEqual(data.bytes, (await Deno.stat(`${run.dir}/models/queue.json`)).size);
    deepStrictEqual(Object.keys(data.labels as object), [...QUEUES].sort());
    strictEqual((data.examples as number) + (data.skipped_rows as number), 667);
  });

  await t.step("Train with if_missing skips an existing model", () => {
    const again = stepOf(results, "again");
    strictEqual(again.status, "skipped");
    strictEqual(again.data, undefined);
  });

  await t.step("Classify answers every ticket by id", () => {
    const data = stepOf(results, "classify").data as {
      predictions: { id: string; label: string; confidence: number; top: unknown[] }[];
      model: { labels: string[]; version: number };
    };
    deepStrictEqual(data.model, { labels: [...QUEUES].sort(), version: 1 });
    deepStrictEqual(data.predictions.map((p) => p.id), inbox.map((x) => x.id));
    const right = data.predictions.filter((p, i) => p.label === QUEUES[i % QUEUES.length]);
    ok(right.length >= 18, `${right.length} of 20 right`);
    ok(data.predictions.every((p) => p.top.length === 2 && p.confidence > 0));
  });

  await t.step("Classify per item succeeds for every item", () => {
    const each = stepOf(results, "each");
    strictEqual(each.status, "succeeded");
    deepStrictEqual(each.data, { succeeded: 20, failed: 0, skipped: 0, failures: [] });
  });

  await t.step("Evaluate on the held-out rows is accurate", () => {
    const data = stepOf(results, "evaluate").data as {
      examples: number;
      accuracy: number;
      macro_f1: number;
      confusion: { labels: string[]; matrix: number[][] };
    };
    ok(data.accuracy > 0.9, `accuracy ${data.accuracy}`);
    ok(data.macro_f1 > 0.9, `macro-F1 ${data.macro_f1}`);
    ok(data.examples > 200, `${data.examples} held-out examples`);
    strictEqual(data.confusion.matrix.flat().reduce((a, b) => a + b, 0), data.examples);
  });
});

Deno.test("classifier Train fails when the grant does not let it write the model", async () => {
  await using run = await runConfig(`plugins:
  - from: ${PLUGIN}
    permissions: { read: ["./data", "./models"], write: ["./out"] }
orchestrator:
  runners:
    - id: main
      run:
        - id: train
          use: classifier:Train
          params: { ${DATA}, ${MODEL} }
`);
  const s = stepOf(run.results, "train");
  strictEqual(s.status, "failed");
  match(
    s.error!,
    /^plugin "classifier" was denied write access to "\.\/models\/queue\.json"; if it needs it, grant it under plugins\[0\]\.permissions\.write in .*config\.yml:2$/,
  );
  deepStrictEqual([...Deno.readDirSync(`${run.dir}/models`)], [], "no file is written");
});

Deno.test("classifier params are checked when the config is loaded", async () => {
  await rejects(
    runConfig(`plugins:
  - from: ${PLUGIN}
    permissions: { read: ["./data", "./models"], write: ["./models"] }
orchestrator:
  runners:
    - id: main
      run:
        - id: train
          use: classifier:Train
          params: { data: ./data/tickets.csv, text: subject, label: queue, ${MODEL} }
`),
    (e: unknown) => {
      ok(e instanceof ConfigError);
      match(
        e.message,
        /config\.yml:10:53: orchestrator\.runners\[0\]\.run\[0\]\.params\.text: invalid param for classifier:Train: must be a list of field names, e\.g\. \[subject, body\]$/,
      );
      return true;
    },
  );
});
