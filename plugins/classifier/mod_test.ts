import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { testPipe } from "@otai/cli/testing";
import plugin, { type ClassifyResult, type EvaluateResult, type TrainResult } from "./mod.ts";
import { QUEUES, syntheticRows, toCsv } from "./_testing.ts";

const PER_QUEUE = 220;
const UNLABELLED = 12;
const SMALL = { buckets_log2: 16, epochs: 10 };
const TEXT = ["subject", "body"];

type Outcome = Awaited<ReturnType<typeof testPipe>>;

/** A temp dir with `tickets.csv` (synthetic, labelled by queue), removed on dispose. */
async function tempData(): Promise<{ dir: string; csv: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "otai-classifier-" });
  const csv = `${dir}/tickets.csv`;
  await Deno.writeTextFile(csv, toCsv(syntheticRows(PER_QUEUE, { unlabelled: UNLABELLED })));
  return { dir, csv, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function data<T>(outcome: Outcome): T {
  if (outcome.status !== "succeeded") throw new Error(`not succeeded: ${JSON.stringify(outcome)}`);
  deepStrictEqual(JSON.parse(JSON.stringify(outcome.data)), outcome.data, "plain JSON data");
  return outcome.data as T;
}

function failure(outcome: Outcome): string {
  if (outcome.status !== "failed") throw new Error(`not failed: ${JSON.stringify(outcome)}`);
  return outcome.error.message;
}

Deno.test("classifier manifest asks for read and write and registers three pipes", () => {
  strictEqual(plugin.name, "classifier");
  deepStrictEqual(plugin.permissions, { read: true, write: true });
  deepStrictEqual(plugin.injectables.map((i) => [i.kind, i.name]), [
    ["pipe", "Train"],
    ["pipe", "Classify"],
    ["pipe", "Evaluate"],
  ]);
});

Deno.test("classifier Train, Classify and Evaluate round trip on synthetic tickets", async (t) => {
  await using d = await tempData();
  const model = `${d.dir}/models/queue.json`;
  const holdout = { fraction: 0.25, seed: 7 };
  const total = PER_QUEUE * QUEUES.length + UNLABELLED;
  let trained: TrainResult | undefined;

  await t.step("Train writes the model, creating its directory, and reports counts", async () => {
    trained = data<TrainResult>(
      await testPipe(plugin, "Train", {
        params: { data: d.csv, text: TEXT, label: "queue", model, holdout, options: SMALL },
      }),
    );
    strictEqual(trained.model, model);
    strictEqual(trained.bytes, (await Deno.stat(model)).size);
    deepStrictEqual(Object.keys(trained.labels), [...QUEUES].sort());
    strictEqual(
      Object.values(trained.labels).reduce((a, b) => a + b, 0),
      trained.examples,
    );
    strictEqual(trained.examples + trained.skipped_rows, Math.round(total * 0.75));
    ok(trained.skipped_rows > 0, "some unlabelled rows fall in the training part");
    ok(trained.train_seconds >= 0 && trained.train_seconds < 30);
  });

  await t.step("Classify predicts each ticket with its id, confidence and top labels", async () => {
    const tickets = syntheticRows(10, { seed: 99 }).map(({ id, subject, body }, i) => ({
      id: i === 0 ? 1234 : id,
      subject,
      body,
      queue: "ignored",
      tags: ["x"],
    }));
    const result = data<ClassifyResult>(
      await testPipe(plugin, "Classify", { params: { model, tickets, top: 2 } }),
    );
    deepStrictEqual(result.model, { labels: [...QUEUES].sort(), version: 1 });
    deepStrictEqual(result.predictions.map((p) => p.id), tickets.map((x) => x.id));
    const right = result.predictions.filter((p, i) => p.label === QUEUES[i % QUEUES.length]);
    ok(right.length >= 36, `${right.length} of 40 right`);
    for (const p of result.predictions) {
      strictEqual(p.top.length, 2);
      deepStrictEqual(p.top[0], { label: p.label, confidence: p.confidence });
      ok(p.confidence > 0 && p.confidence <= 1);
    }
  });

  await t.step("Evaluate scores the held-out rows only", async () => {
    const result = data<EvaluateResult>(
      await testPipe(plugin, "Evaluate", {
        params: { model, data: d.csv, text: TEXT, label: "queue", holdout },
      }),
    );
    strictEqual(
      result.examples + result.skipped_rows + trained!.examples + trained!.skipped_rows,
      total,
    );
    ok(result.accuracy > 0.9, `accuracy ${result.accuracy}`);
    ok(result.macro_f1 > 0.9, `macro-F1 ${result.macro_f1}`);
    deepStrictEqual(result.confusion.labels, [...QUEUES].sort());
    strictEqual(result.confusion.matrix.flat().reduce((a, b) => a + b, 0), result.examples);
    deepStrictEqual(Object.keys(result.per_class), [...QUEUES].sort());
  });

  await t.step("Evaluate without holdout scores every labelled row", async () => {
    const result = data<EvaluateResult>(
      await testPipe(plugin, "Evaluate", {
        params: { model, data: d.csv, text: TEXT, label: "queue" },
      }),
    );
    deepStrictEqual([result.examples, result.skipped_rows], [PER_QUEUE * 4, UNLABELLED]);
  });

  await t.step("Train with if_missing skips when the model file holds a model", async () => {
    const outcome = await testPipe(plugin, "Train", {
      params: { data: d.csv, text: TEXT, label: "queue", model, if_missing: true },
    });
    deepStrictEqual(outcome, { status: "skipped", reason: `model exists: ${model}` });
  });

  await t.step("Train with if_missing replaces a corrupt model file, with a warning", async () => {
    await Deno.writeTextFile(model, '{"format": "otai-classi');
    const warnings: string[] = [];
    const outcome = await testPipe(plugin, "Train", {
      params: { data: d.csv, text: TEXT, label: "queue", model, if_missing: true, options: SMALL },
      log: (level, _message, props) => level === "warning" && warnings.push(String(props?.message)),
    });
    strictEqual(outcome.status, "succeeded");
    match(warnings[0] ?? "", /not valid JSON, so the file is truncated or corrupt/);
  });
});

Deno.test("classifier Train reads JSON Lines with numeric labels and list fields", async () => {
  await using d = await tempData();
  const lines = syntheticRows(60).map((r, i) =>
    JSON.stringify({
      id: r.id,
      subject: r.subject,
      tags: r.body.split(" ").slice(0, 4),
      priority: i % 4 === 3 ? null : QUEUES.indexOf(r.queue),
    })
  );
  await Deno.writeTextFile(`${d.dir}/rows.jsonl`, `${lines.join("\n")}\n`);
  const model = `${d.dir}/priority.json`;
  const trained = data<TrainResult>(
    await testPipe(plugin, "Train", {
      params: {
        data: `${d.dir}/rows.jsonl`,
        text: ["subject", "tags"],
        label: "priority",
        model,
        options: SMALL,
      },
    }),
  );
  deepStrictEqual(trained.labels, { "0": 60, "1": 60, "2": 60 });
  strictEqual(trained.skipped_rows, 60);
  const result = data<ClassifyResult>(
    await testPipe(plugin, "Classify", {
      params: { model, tickets: [{ id: "a", subject: "refund invoice", tags: ["payment"] }] },
    }),
  );
  strictEqual(result.predictions[0]?.label, "0");
});

Deno.test("classifier Classify keeps the parsed model until the file changes", async () => {
  await using d = await tempData();
  const model = `${d.dir}/queue.json`;
  data(
    await testPipe(plugin, "Train", {
      params: { data: d.csv, text: TEXT, label: "queue", model, options: SMALL },
    }),
  );
  const classify = () =>
    testPipe(plugin, "Classify", {
      params: { model, tickets: [{ id: "1", subject: "vpn router down", body: "" }] },
    });
  strictEqual(data<ClassifyResult>(await classify()).predictions[0]?.label, "network");
  const { size, mtime } = await Deno.stat(model);
  await Deno.writeTextFile(model, "x".repeat(size));
  await Deno.utime(model, mtime!, mtime!);
  strictEqual(
    data<ClassifyResult>(await classify()).predictions[0]?.label,
    "network",
    "same mtime and size: the cached model is used",
  );
  await Deno.utime(model, mtime!, new Date(mtime!.getTime() + 5000));
  match(
    failure(await classify()),
    /Cannot load classifier model ".*queue\.json": it is not valid JSON/,
  );
});

Deno.test("classifier pipes reject bad params with what to write", async (t) => {
  const train = { data: "d.csv", text: TEXT, label: "queue", model: "m.json" };
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    [
      "Train without text",
      "Train",
      { ...train, text: undefined },
      /is required: a list of field names/,
    ],
    ["Train with no text fields", "Train", { ...train, text: [] }, /at least one field/],
    ["Train without a label", "Train", { ...train, label: undefined }, /label field/],
    [
      "Train with an unknown param",
      "Train",
      { ...train, if_mising: true },
      /Unrecognized key: "if_mising"/,
    ],
    [
      "Train with an unknown option",
      "Train",
      { ...train, options: { epoch: 3 } },
      /Unrecognized key: "epoch"/,
    ],
    [
      "Train with too many buckets",
      "Train",
      { ...train, options: { buckets_log2: 30 } },
      /from 4 to 24/,
    ],
    [
      "Train with bad n-grams",
      "Train",
      { ...train, options: { word_ngrams: [3, 1] } },
      /\[min, max\]/,
    ],
    ["Train holding out everything", "Train", { ...train, holdout: { fraction: 1 } }, /below 1/],
    ["Classify without tickets", "Classify", { model: "m.json" }, /is required: a list of tickets/],
    [
      "Classify a ticket without id",
      "Classify",
      { model: "m.json", tickets: [{ subject: "x" }] },
      /is required: an id/,
    ],
    [
      "Classify with a negative top",
      "Classify",
      { model: "m.json", tickets: [], top: -1 },
      /invalid params/,
    ],
    [
      "Evaluate without data",
      "Evaluate",
      { model: "m.json", text: TEXT, label: "q" },
      /is required: the path of a CSV or JSONL file/,
    ],
  ];
  for (const [name, pipe, params, expected] of cases) {
    await t.step(name, async () => {
      const message = failure(await testPipe(plugin, pipe, { params }));
      match(message, /^invalid params: /);
      match(message, expected);
    });
  }
});

Deno.test("classifier pipes name the file and the fix when data or model is unusable", async (t) => {
  await using d = await tempData();
  const model = `${d.dir}/m.json`;
  const train = (params: Record<string, unknown>) =>
    testPipe(plugin, "Train", {
      params: { data: d.csv, text: TEXT, label: "queue", model, options: SMALL, ...params },
    });
  const classify = () =>
    testPipe(plugin, "Classify", { params: { model, tickets: [{ id: "1", subject: "x" }] } });

  await t.step("a data file with an unknown ending", async () => {
    await Deno.writeTextFile(`${d.dir}/rows.txt`, "a,b\n");
    match(
      failure(await train({ data: `${d.dir}/rows.txt` })),
      /^Cannot read data file ".*rows\.txt": its name must end in \.csv, \.jsonl or \.ndjson/,
    );
  });
  await t.step("a missing data file", async () => {
    match(
      failure(await train({ data: `${d.dir}/nope.csv` })),
      /^Cannot read data file ".*nope\.csv": the file does not exist; fix the path$/,
    );
  });
  await t.step("a malformed CSV file", async () => {
    await Deno.writeTextFile(`${d.dir}/bad.csv`, 'subject,queue\n"open,IT\n');
    match(
      failure(await train({ data: `${d.dir}/bad.csv` })),
      /^Cannot read data file ".*bad\.csv" as CSV: the quoted field starting in row 2 is never closed/,
    );
  });
  await t.step("a label field the file does not have", async () => {
    match(
      failure(await train({ label: "queu" })),
      /^Cannot read data file ".*tickets\.csv": no row has the field "queu" named in label; the fields are "id", "subject", "body", "queue"; fix label$/,
    );
  });
  await t.step("a file without any label", async () => {
    await Deno.writeTextFile(`${d.dir}/empty.csv`, "subject,body,queue\nhello,there,\n");
    match(
      failure(await train({ data: `${d.dir}/empty.csv` })),
      /^Cannot train from ".*empty\.csv": no row has a label in "queue"/,
    );
  });
  await t.step("a missing model", async () => {
    match(
      failure(await classify()),
      /^Cannot load classifier model ".*m\.json": the file does not exist; train one with classifier:Train or fix the path$/,
    );
  });
  await t.step("a corrupt model", async () => {
    await Deno.writeTextFile(model, '{"format": "otai-classifier", "vers');
    match(
      failure(await classify()),
      /^Cannot load classifier model ".*m\.json": it is not valid JSON, so the file is truncated or corrupt .*; retrain it with classifier:Train$/,
    );
  });
  await t.step("a model of a newer version", async () => {
    await Deno.writeTextFile(model, JSON.stringify({ format: "otai-classifier", version: 2 }));
    match(
      failure(await classify()),
      /^Cannot load classifier model ".*m\.json": it has version 2, and this otai reads only version 1; upgrade otai or retrain it with classifier:Train$/,
    );
  });
  await t.step("Evaluate reports the model's problem too", async () => {
    const message = failure(
      await testPipe(plugin, "Evaluate", {
        params: { model, data: d.csv, text: TEXT, label: "queue" },
      }),
    );
    match(message, /^Cannot load classifier model ".*m\.json": it has version 2/);
  });
});

Deno.test("classifier Train stops at a phase boundary when its signal is aborted", async () => {
  await using d = await tempData();
  const outcome = await testPipe(plugin, "Train", {
    params: { data: d.csv, text: TEXT, label: "queue", model: `${d.dir}/m.json` },
    signal: AbortSignal.abort(new Error("step timed out")),
  });
  deepStrictEqual(outcome, {
    status: "failed",
    error: { name: "Error", message: "step timed out" },
  });
  strictEqual(await Deno.stat(`${d.dir}/m.json`).then(() => true, () => false), false);
});
