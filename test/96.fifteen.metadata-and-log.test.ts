// fifteen's Experiment metadata (YAML in <dataDir>/metadata/, with and without a schema),
// TensorboardLogData, and Experiment.log's cadence read back from the event file.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Experiment, TensorboardLogData } from "../src/fifteen/index.js";
import { Recorder, SummaryWriter, readEvents, type TensorBoardEvent } from "../src/recording/index.js";

function withDir(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-f15-96-"));
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const quiet = { verbose: false };

const tensor = (values: number[], shape = [values.length]) => ({
  shape,
  dtype: "float32",
  toTypedArray: () => Float32Array.from(values),
});

class TrainConfig {
  readonly lr: number;
  readonly layers: number[];
  readonly optimizer: "sgd" | "adam";

  constructor(init: { lr: number; layers: number[]; optimizer: "sgd" | "adam" }) {
    if (typeof init?.lr !== "number") throw new Error("lr must be a number");
    if (!Array.isArray(init.layers)) throw new Error("layers must be a list");
    if (init.optimizer !== "sgd" && init.optimizer !== "adam") throw new Error(`unknown optimizer ${String(init.optimizer)}`);
    this.lr = init.lr;
    this.layers = init.layers;
    this.optimizer = init.optimizer;
  }
}

test("metadata round trip without a schema: <dataDir>/metadata/<name>.yaml, PyYAML-readable", () => {
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "exp"), quiet);
    const value = { lr: 1e-7, name: "yes", layers: [64, 32], nested: { on: true, none: null }, count: 3 };
    exp.writeMetadata("config", value);
    const file = path.join(exp.dataDir, "metadata", "config.yaml");
    assert.equal(
      fs.readFileSync(file, "utf8"),
      // "yes" and the key "on" are quoted: PyYAML would read them as booleans.
      'count: 3\nlayers:\n  - 64\n  - 32\nlr: 1.0e-7\nname: "yes"\nnested:\n  none: null\n  "on": true\n',
    );
    assert.deepEqual(exp.readMetadata("config"), value);
    exp.writeMetadata("seed", 42);
    assert.equal(exp.readMetadata("seed"), 42);
    exp.writeMetadata("seed", 43); // rewriting replaces
    assert.equal(exp.readMetadata("seed"), 43);
    assert.deepEqual(fs.readdirSync(path.join(exp.dataDir, "metadata")).sort(), ["config.yaml", "seed.yaml"]);
    if (fs.existsSync("/usr/bin/python3")) {
      const out = execFileSync("/usr/bin/python3", ["-c", "import sys, yaml, json; print(json.dumps(yaml.safe_load(open(sys.argv[1])), sort_keys=True))", file], { encoding: "utf8" });
      assert.deepEqual(JSON.parse(out), value);
    }
  });
});

test("metadata with a schema: a class, a validator function, an object with parse; typed results", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    exp.writeMetadata("train", new TrainConfig({ lr: 0.01, layers: [8], optimizer: "adam" }));
    const config: TrainConfig = exp.readMetadata("train", TrainConfig);
    assert.ok(config instanceof TrainConfig);
    assert.deepEqual({ ...config }, { lr: 0.01, layers: [8], optimizer: "adam" });

    const lrOnly = (v: unknown): number => {
      if (typeof v !== "object" || v === null || typeof (v as { lr?: unknown }).lr !== "number") throw new Error("no lr");
      return (v as { lr: number }).lr;
    };
    const lr: number = exp.readMetadata("train", lrOnly);
    assert.equal(lr, 0.01);

    const layerCount = { parse: (v: unknown): number => (v as { layers: unknown[] }).layers.length };
    const n: number = exp.readMetadata("train", layerCount);
    assert.equal(n, 1);

    exp.writeMetadata("bad", { lr: 0.1, layers: [], optimizer: "rmsprop" });
    const file = path.join(dir, "metadata", "bad.yaml");
    assert.throws(() => exp.readMetadata("bad", TrainConfig), {
      message: `metadata 'bad' (${file}) does not match its schema: unknown optimizer rmsprop`,
    });
  });
});

test("metadata errors: missing file, bad YAML, bad names", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    assert.throws(() => exp.readMetadata("nope"), {
      message: `no metadata 'nope': ${path.join(dir, "metadata", "nope.yaml")} does not exist`,
    });
    fs.mkdirSync(path.join(dir, "metadata"));
    fs.writeFileSync(path.join(dir, "metadata", "broken.yaml"), "a: [1, 2\n");
    assert.throws(() => exp.readMetadata("broken"), /^Error: metadata 'broken' \(.*broken\.yaml\) is not valid YAML: /);
    for (const name of ["", "../x", "a/b", ".."]) {
      assert.throws(() => exp.writeMetadata(name, 1), /metadata name must be a non-empty file name without path separators/);
    }
    assert.throws(() => exp.writeMetadata("config.yaml", 1), { message: "metadata name 'config.yaml' must not end in .yaml (the extension is added)" });
    assert.throws(() => exp.writeMetadata("f", { fn: () => 1 }), { message: "metadata: value.fn is a function, which YAML cannot hold" });
    assert.deepEqual(fs.readdirSync(path.join(dir, "metadata")), ["broken.yaml"]);
  });
});

test("verbose: metadata writes and reads are printed", () => {
  withDir((dir) => {
    const log = mock.method(console, "log", () => {});
    try {
      const exp = new Experiment(dir);
      exp.writeMetadata("a", 1);
      exp.readMetadata("a");
      const file = path.join(dir, "metadata", "a.yaml");
      assert.deepEqual(log.mock.calls.map((c) => c.arguments), [
        [`[Experiment] Writing metadata to ${file}`],
        [`[Experiment] Reading metadata from ${file}`],
      ]);
    } finally {
      log.mock.restore();
    }
  });
});

test("TensorboardLogData: prefix, merge (duplicate tags are errors), mergeScalars, mergeHistograms; immutable", () => {
  const weights = [0.1, 0.2, 0.3];
  const a = new TensorboardLogData({ scalars: { loss: 0.5 } });
  const b = a.mergeScalars({ acc: 0.9 }).mergeHistograms({ weights });
  assert.deepEqual(a.scalars, { loss: 0.5 }, "a is unchanged");
  assert.deepEqual(b.scalars, { loss: 0.5, acc: 0.9 });
  assert.deepEqual(b.histograms, { weights });
  const p = b.prefix("train/");
  assert.deepEqual(p.scalars, { "train/loss": 0.5, "train/acc": 0.9 });
  assert.deepEqual(Object.keys(p.histograms), ["train/weights"]);
  const merged = p.merge(new TensorboardLogData({ scalars: { "eval/loss": 0.7 } }));
  assert.deepEqual(merged.scalars, { "train/loss": 0.5, "train/acc": 0.9, "eval/loss": 0.7 });
  assert.throws(() => b.merge(a), { message: "TensorboardLogData.merge: scalar tag 'loss' is in both" });
  assert.throws(() => b.mergeHistograms({ weights }), { message: "TensorboardLogData.merge: histogram tag 'weights' is in both" });
  assert.ok(Object.isFrozen(b) && Object.isFrozen(b.scalars) && Object.isFrozen(b.histograms));
  assert.deepEqual(new TensorboardLogData().scalars, {});
});

test("TensorboardLogData.fixShardedScalars: the first element of each multi-element scalar", () => {
  const data = new TensorboardLogData({
    scalars: { sharded: tensor([3, 4, 5, 6], [2, 2]), one: tensor([7]), nested: [[1.5, 2], [3, 4]], plain: 2, typed: Float64Array.of(8, 9), big: 5n },
    histograms: { h: [1, 2, 3] },
  });
  const fixed = data.fixShardedScalars();
  assert.deepEqual(fixed.scalars, { sharded: 3, one: 7, nested: 1.5, plain: 2, typed: 8, big: 5 });
  assert.equal(fixed.histograms["h"], data.histograms["h"]);
  assert.throws(() => new TensorboardLogData({ scalars: { e: [] } }).fixShardedScalars(), /scalar 'e' is empty/);
});

function scalarSteps(events: TensorBoardEvent[]): Array<[string, number, number]> {
  return events.flatMap((e) =>
    (e.summary?.value ?? []).filter((v) => v.simpleValue !== undefined).map((v): [string, number, number] => [v.tag, e.step, v.simpleValue!]),
  );
}

function histogramSteps(events: TensorBoardEvent[]): Array<[string, number, number]> {
  return events.flatMap((e) =>
    (e.summary?.value ?? []).filter((v) => v.histo !== undefined).map((v): [string, number, number] => [v.tag, e.step, v.histo!.num]),
  );
}

test("log: scalars every logScalarsEveryN steps, histograms every logHistogramsEveryN, read back from the event file", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    assert.deepEqual(fs.readdirSync(dir), [], "no writer before first use");
    for (let step = 0; step < 12; step++) {
      const data = new TensorboardLogData({ scalars: { loss: step / 4, acc: tensor([step / 8]) }, histograms: { w: [step, step + 1, step + 2] } });
      exp.log(data.prefix("train/"), step, { logScalarsEveryN: 3, logHistogramsEveryN: 5 });
    }
    const writerPath = exp.summaryWriter.path;
    exp.close();
    const files = fs.readdirSync(dir);
    assert.equal(files.length, 1);
    assert.equal(path.join(dir, files[0]!), writerPath);
    const events = readEvents(writerPath);
    assert.deepEqual(scalarSteps(events), [0, 3, 6, 9].flatMap((s) => [["train/loss", s, s / 4], ["train/acc", s, s / 8]]));
    assert.deepEqual(histogramSteps(events), [["train/w", 0, 3], ["train/w", 5, 3], ["train/w", 10, 3]]);

    // Defaults: every step.
    const every = new Experiment(path.join(dir, "every"), quiet);
    for (let step = 0; step < 3; step++) every.log(new TensorboardLogData({ scalars: { x: step } }), step);
    const file = every.summaryWriter.path;
    every.close();
    assert.deepEqual(scalarSteps(readEvents(file)), [["x", 0, 0], ["x", 1, 1], ["x", 2, 2]]);
  });
});

test("log: a multi-element scalar and bad cadences are clear errors", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    try {
      assert.throws(() => exp.log(new TensorboardLogData({ scalars: { loss: tensor([1, 2], [2]) } }), 0), {
        message:
          "Experiment.log: scalar 'loss' has shape [2], not one element (for values gathered across devices, TensorboardLogData.fixShardedScalars() takes the first)",
      });
      const data = new TensorboardLogData({ scalars: { x: 1 } });
      assert.throws(() => exp.log(data, 0, { logScalarsEveryN: 0 }), { message: "Experiment.log: logScalarsEveryN must be an integer >= 1, got 0" });
      assert.throws(() => exp.log(data, 1.5), { message: "Experiment.log: step must be an integer >= 0, got 1.5" });
      assert.throws(() => exp.log({ scalars: {} } as unknown as TensorboardLogData, 0), /data must be a TensorboardLogData/);
    } finally {
      exp.close();
    }
  });
});

test("summaryWriter is the directory's one writer, shared with a Recorder on it", () => {
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    const recorder = new Recorder(dir);
    recorder.scalar("recorder/x", 1);
    exp.log(new TensorboardLogData({ scalars: { "exp/y": 2 } }), 0);
    const shared = SummaryWriter.forDirectory(dir);
    assert.equal(exp.summaryWriter, shared);
    shared.close();
    exp.close();
    recorder.close();
    const events = fs.readdirSync(dir).filter((f) => f.startsWith("events.out.tfevents."));
    assert.equal(events.length, 1, "one event file");
    assert.deepEqual(scalarSteps(readEvents(path.join(dir, events[0]!))), [["recorder/x", 0, 1], ["exp/y", 0, 2]]);
  });
});
