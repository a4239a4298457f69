// The Recorder: count and step, each backend's output, silence, resume, distributed no-ops.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Recorder } from "../src/recording/index.js";
import { setCurrentRun } from "../src/core/current-run.js";
import { getRankProvider, setRankProvider } from "../src/core/providers.js";
import { decodeEvents, decodePng, summaryValues } from "./fixtures/recording/wire.js";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "pst-rec33-"));
}

function eventFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.includes("tfevents")).sort().map((f) => path.join(dir, f));
}

function scalarsIn(dir: string): [string, number, number][] {
  return eventFiles(dir).flatMap((file) =>
    summaryValues(decodeEvents(fs.readFileSync(file)))
      .filter((v) => v.value.has(2))
      .map((v): [string, number, number] => [v.tag, v.step, v.value.float(2)]),
  );
}

test("scalars go to TensorBoard and scalars.csv against the count; step() advances it", () => {
  const dir = tempDir();
  try {
    const recorder = new Recorder(dir);
    assert.equal(recorder.count, 0);
    recorder.scalar("train/loss", 0.5);
    recorder.scalar("acc", { shape: [], dtype: "float32", toTypedArray: () => new Float32Array([0.75]) });
    recorder.step();
    assert.equal(recorder.count, 1);
    recorder.scalar("train/loss", 0.25);
    recorder.count = 10;
    recorder.scalar("train/loss", 0.125);
    recorder.close();
    assert.deepEqual(scalarsIn(dir), [["train/loss", 0, 0.5], ["acc", 0, 0.75], ["train/loss", 1, 0.25], ["train/loss", 10, 0.125]]);
    assert.equal(
      fs.readFileSync(path.join(dir, "scalars.csv"), "utf8"),
      "step, tag, value\n0, train/loss, 0.5\n0, acc, 0.75\n1, train/loss, 0.25\n10, train/loss, 0.125\n",
    );
    assert.throws(() => (recorder.count = -1), /Recorder count must be a non-negative integer, got -1/);
    assert.throws(() => recorder.scalar("", 1), /Recorder tag must be a non-empty string/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("records are written out on time in a loop that never yields to the event loop", () => {
  const dir = tempDir();
  try {
    const recorder = new Recorder(dir, { flushSecs: 0.05 });
    const csv = path.join(dir, "scalars.csv");
    const until = Date.now() + 200;
    while (Date.now() < until) {
      recorder.scalar("loss", 1);
      recorder.step();
      const stepEnd = Date.now() + 5; // a 5 ms "training step": far too few rows to fill a buffer
      while (Date.now() < stepEnd);
    }
    assert.ok(recorder.count > 10);
    const rows = fs.readFileSync(csv, "utf8").split("\n").length - 2;
    assert.ok(rows > 0 && rows < recorder.count, `${rows} of ${recorder.count} rows written`);
    assert.ok(scalarsIn(dir).length > 0);
    recorder.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("images and figures are PNG files named <tag, / as .>-<count>.png and TensorBoard images", () => {
  const dir = tempDir();
  try {
    const recorder = new Recorder(dir, { tensorboard: true, file: true });
    recorder.count = 3;
    recorder.image("samples/input", { data: new Uint8Array([0, 64, 128, 255]), shape: [2, 2] });
    recorder.figure("plots/curve", `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="6"><rect width="8" height="6" fill="#00ff00"/></svg>`);
    recorder.close();
    const image = decodePng(fs.readFileSync(path.join(dir, "images", "samples.input-3.png")));
    assert.deepEqual([...image.pixels], [0, 64, 128, 255]);
    const figure = decodePng(fs.readFileSync(path.join(dir, "figures", "plots.curve-3.png")));
    assert.deepEqual([figure.width, figure.height, ...figure.pixels.subarray(0, 3)], [8, 6, 0, 255, 0]);
    const values = summaryValues(decodeEvents(fs.readFileSync(eventFiles(dir)[0]!)));
    assert.deepEqual(values.map((v) => [v.tag, v.step]), [["samples/input", 3], ["plots/curve", 3]]);
    assert.deepEqual(values[0]!.value.message(4).bytesOf(4), fs.readFileSync(path.join(dir, "images", "samples.input-3.png")));
    assert.deepEqual(values[1]!.value.message(4).bytesOf(4), fs.readFileSync(path.join(dir, "figures", "plots.curve-3.png")));
    assert.throws(() => new Recorder(dir).figure("f", 42 as never), /Figure must be an SVG string or a PNG buffer, got 'number'\./);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("jsonl writes one object per record; console prints a block per step", () => {
  const dir = tempDir();
  const printed: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((text: string) => (printed.push(String(text)), true)) as typeof process.stdout.write;
  try {
    const recorder = new Recorder(dir, { tensorboard: false, file: false, console: true, jsonl: true });
    recorder.params({ lr: 0.1 });
    recorder.scalar("loss", 0.123456789);
    recorder.scalar("acc", 1);
    recorder.histogram("w", [1, 2, 3]);
    recorder.text("note", "hello");
    recorder.step();
    recorder.scalar("loss", 0.5);
    recorder.step();
    recorder.close();
    process.stdout.write = write;
    assert.deepEqual(printed, [
      "[step 0] loss: 0.12346 | acc: 1 | w: <histogram n=3 mean=2> | note: \"hello\"\n",
      "[step 1] loss: 0.5\n",
    ]);
    assert.deepEqual(fs.readdirSync(dir), ["records.jsonl"]);
    const lines = fs.readFileSync(path.join(dir, "records.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => { const { wallTime, ...rest } = l; assert.equal(typeof wallTime, "number"); return rest; }).slice(0, 3), [
      { kind: "params", step: 0, params: { lr: 0.1 } },
      { kind: "scalar", tag: "loss", step: 0, value: 0.123456789 },
      { kind: "scalar", tag: "acc", step: 0, value: 1 },
    ]);
    assert.deepEqual([lines[3].kind, lines[3].num, lines[3].sum, lines[4].text, lines[5].step], ["histogram", 3, 6, "hello", 1]);
  } finally {
    process.stdout.write = write;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("silence() stops recording but the count still advances", () => {
  const dir = tempDir();
  try {
    const recorder = new Recorder(dir, { file: true });
    recorder.scalar("x", 1);
    recorder.silence();
    recorder.scalar("x", 2);
    recorder.image("i", [[0]]);
    recorder.step();
    assert.equal(recorder.count, 1);
    assert.deepEqual(scalarsIn(dir), [["x", 0, 1]]);
    assert.equal(fs.readFileSync(path.join(dir, "scalars.csv"), "utf8"), "step, tag, value\n0, x, 1\n");
    assert.equal(fs.existsSync(path.join(dir, "images")), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a resumed recorder continues the count in a new event file, without gaps or duplicates", () => {
  const dir = tempDir();
  try {
    const first = new Recorder(dir);
    for (let i = 0; i < 3; i++) {
      first.scalar("loss", i);
      first.step();
    }
    const state = first.stateDict();
    assert.deepEqual(state, { count: 3 });
    first.close();

    const resumed = new Recorder(dir);
    resumed.loadStateDict(structuredClone(state));
    for (let i = 3; i < 5; i++) {
      resumed.scalar("loss", i);
      resumed.step();
    }
    resumed.close();
    const files = eventFiles(dir);
    assert.equal(files.length, 2);
    assert.deepEqual(scalarsIn(dir).map(([, step, value]) => [step, value]), [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
    assert.equal(fs.readFileSync(path.join(dir, "scalars.csv"), "utf8").split("\n").filter((l) => l.startsWith("step")).length, 1);

    // Loading state into a recorder that is already writing also starts a new file.
    const live = new Recorder(dir, { file: false });
    live.scalar("loss", 99);
    live.loadStateDict({ count: 5 });
    live.scalar("loss", 5);
    live.close();
    assert.equal(eventFiles(dir).length, 4);
    assert.throws(() => live.loadStateDict({} as never), /Recorder state must be an object with a 'count'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the directory defaults to the current run's; without a run or a directory it is a clear error", () => {
  const dir = tempDir();
  try {
    const recorder = new Recorder();
    assert.equal(recorder.outputDir, null);
    assert.throws(() => recorder.scalar("x", 1), /Recorder has no output directory: pass one \(new Recorder\(dir\)\) or record inside a running experiment/);
    setCurrentRun({ outputDir: dir, params: {}, paramsFile: null, experimentName: "e", localRank: 0 });
    recorder.scalar("x", 1);
    recorder.close();
    assert.deepEqual(scalarsIn(dir), [["x", 0, 1]]);
  } finally {
    setCurrentRun(null);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a Recorder without a directory follows the current run to the next run's directory", () => {
  const first = tempDir(), second = tempDir();
  const run = (outputDir: string) => ({ outputDir, params: {}, paramsFile: null, experimentName: "e", localRank: 0 });
  try {
    const recorder = new Recorder({ tensorboard: false });
    setCurrentRun(run(first));
    recorder.scalar("x", 1);
    setCurrentRun(run(second));
    recorder.scalar("x", 2);
    setCurrentRun(null);
    recorder.scalar("x", 3);
    recorder.close();
    assert.equal(fs.readFileSync(path.join(first, "scalars.csv"), "utf8"), "step, tag, value\n0, x, 1\n");
    assert.equal(fs.readFileSync(path.join(second, "scalars.csv"), "utf8"), "step, tag, value\n0, x, 2\n0, x, 3\n");
  } finally {
    setCurrentRun(null);
    fs.rmSync(first, { recursive: true, force: true });
    fs.rmSync(second, { recursive: true, force: true });
  }
});

test("on a rank other than the master every record is a no-op and tensors are never read", () => {
  const dir = tempDir();
  const previous = getRankProvider();
  setRankProvider({ getRank: () => 1, getNumProcesses: () => 2, isMaster: () => false });
  try {
    const recorder = new Recorder(dir);
    const untouchable = { shape: [1], dtype: "float32", toTypedArray: (): never => assert.fail("read on rank 1") };
    recorder.scalar("x", untouchable);
    recorder.histogram("h", untouchable);
    recorder.params({ a: 1 });
    recorder.step();
    recorder.close();
    assert.equal(recorder.count, 1);
    assert.deepEqual(fs.readdirSync(dir), []);
  } finally {
    setRankProvider(previous);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("params() puts the run in TensorBoard's HPARAMS table from its own event file", () => {
  const dir = tempDir();
  try {
    const recorder = new Recorder(dir, { file: false });
    recorder.params({ lr: 0.01, outputDir: dir, checkpoint: null });
    recorder.scalar("loss", 1);
    recorder.close();
    const files = eventFiles(dir);
    assert.equal(files.length, 1);
    const tags = summaryValues(decodeEvents(fs.readFileSync(files[0]!))).map((v) => v.tag);
    assert.deepEqual(tags, ["_hparams_/session_start_info", "loss", "_hparams_/session_end_info"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("two Recorders on one directory share one event file and one scalars.csv", () => {
  const dir = tempDir();
  try {
    const a = new Recorder(dir);
    const b = new Recorder(dir);
    a.scalar("a", 1);
    b.scalar("b", 2);
    a.scalar("a", 3);
    b.close();
    a.scalar("a", 4);
    a.close();
    assert.equal(eventFiles(dir).length, 1);
    assert.deepEqual(scalarsIn(dir).map(([tag, , v]) => [tag, v]), [["a", 1], ["b", 2], ["a", 3], ["a", 4]]);
    assert.equal(fs.readFileSync(path.join(dir, "scalars.csv"), "utf8"), "step, tag, value\n0, a, 1\n0, b, 2\n0, a, 3\n0, a, 4\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
