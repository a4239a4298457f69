// fifteen's Experiment as a directory: assertNew/assertExists on new and used directories, move,
// clear, chaining, an Experiment over a pystematic run directory, and ranks other than 0.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Experiment, TensorboardLogData } from "../src/fifteen/index.js";
import { experiment, getRankProvider, Recorder, setRankProvider } from "../src/index.js";

function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pst-f15-97-"));
  return Promise.resolve()
    .then(() => fn(dir))
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

const quiet = { verbose: false };

test("assertNew / assertExists on a directory that does not exist yet", () =>
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "exp"), quiet);
    assert.equal(exp.assertNew(), exp, "chainable");
    assert.throws(() => exp.assertExists(), { message: `experiment ${exp.dataDir} does not exist` });
  }));

test("only checkpoints, metadata and event files with records count: a run directory's other files do not", () =>
  withDir((dir) => {
    fs.writeFileSync(path.join(dir, "parameters.yaml"), "lr: 0.1\n");
    fs.writeFileSync(path.join(dir, "log.txt"), "started\n");
    fs.mkdirSync(path.join(dir, "images"));
    const exp = new Experiment(dir, quiet);
    exp.summaryWriter; // an opened writer (file_version only) is not a log yet
    assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith("events.out")).length, 1);
    exp.assertNew();
    assert.throws(() => exp.assertExists(), { message: `experiment ${dir} holds no checkpoints, metadata or TensorBoard logs` });
    exp.close();
  }));

test("used directories: a checkpoint, metadata or a logged record each make assertNew throw and assertExists pass", () =>
  withDir((dir) => {
    const uses: Array<[string, (exp: Experiment) => void, string]> = [
      ["checkpoint", (exp) => exp.saveCheckpoint({ a: 1 }, 5), "checkpoint_5.pt"],
      ["metadata", (exp) => exp.writeMetadata("config", { a: 1 }), "metadata/config.yaml"],
      ["log", (exp) => exp.log(new TensorboardLogData({ scalars: { loss: 1 } }), 0), "events.out.tfevents."],
    ];
    for (const [what, use, shown] of uses) {
      const exp = new Experiment(path.join(dir, what), quiet);
      use(exp);
      // A log still buffered in this experiment's writer counts too: assertNew flushes it first.
      assert.throws(() => exp.assertNew(), (e: Error) => e.message.startsWith(`experiment ${exp.dataDir} is not new: it holds ${shown}`), what);
      assert.equal(exp.assertExists(), exp);
      exp.close();
      // A fresh Experiment object over the same directory sees the same.
      assert.throws(() => new Experiment(exp.dataDir, quiet).assertNew(), /is not new/);
    }
  }));

test("assertNew lists at most three files", () =>
  withDir((dir) => {
    const exp = new Experiment(dir, quiet);
    for (let step = 0; step < 5; step++) exp.saveCheckpoint({ step }, step, { keep: 5 });
    assert.throws(() => exp.assertNew(), {
      message: `experiment ${dir} is not new: it holds checkpoint_0.pt, checkpoint_1.pt, checkpoint_2.pt, and 2 more`,
    });
  }));

test("clear deletes the directory (writer released first) and returns the experiment", () =>
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "exp"), quiet);
    exp.saveCheckpoint({ a: 1 }, 1);
    exp.writeMetadata("m", 1);
    exp.log(new TensorboardLogData({ scalars: { x: 1 } }), 0);
    const writer = exp.summaryWriter;
    assert.equal(exp.clear(), exp);
    assert.equal(writer.closed, true);
    assert.equal(fs.existsSync(exp.dataDir), false);
    assert.deepEqual(fs.readdirSync(dir), [], "the parent is left alone");
    exp.assertNew().clear(); // clearing a missing directory is fine
    // The experiment is usable again: a new writer, a new directory.
    exp.log(new TensorboardLogData({ scalars: { x: 2 } }), 1);
    assert.equal(exp.summaryWriter.closed, false);
    assert.notEqual(exp.summaryWriter, writer);
    exp.close();
    exp.assertExists();
  }));

test("move: files go to the new directory, the experiment follows it and keeps working", () =>
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "old"), quiet);
    exp.saveCheckpoint({ step: 3 }, 3);
    exp.writeMetadata("config", { lr: 0.1 });
    exp.log(new TensorboardLogData({ scalars: { x: 1 } }), 0);
    const to = path.join(dir, "archive", "nested", "new");
    assert.equal(exp.move(to), exp);
    assert.equal(exp.dataDir, to);
    assert.equal(fs.existsSync(path.join(dir, "old")), false);
    assert.deepEqual(exp.restoreCheckpoint({ step: 0 }), { step: 3 });
    assert.deepEqual(exp.readMetadata("config"), { lr: 0.1 });
    const names = fs.readdirSync(to).sort();
    assert.equal(names.length, 3);
    assert.deepEqual([names[0], names[2]], ["checkpoint_3.pt", "metadata"]);
    assert.match(names[1]!, /^events\.out\.tfevents\./);
    exp.saveCheckpoint({ step: 4 }, 4);
    assert.deepEqual(exp.checkpointSteps(), [4]);
    exp.move(to); // to itself: nothing happens
    assert.equal(exp.dataDir, to);
  }));

test("move errors: an existing destination, a destination inside the experiment; nothing is moved", () =>
  withDir((dir) => {
    const exp = new Experiment(path.join(dir, "a"), quiet);
    exp.saveCheckpoint({ a: 1 }, 1);
    fs.mkdirSync(path.join(dir, "b"));
    assert.throws(() => exp.move(path.join(dir, "b")), {
      message: `cannot move experiment ${path.join(dir, "a")} to ${path.join(dir, "b")}: it already exists`,
    });
    assert.throws(() => exp.move(path.join(dir, "a", "inner")), {
      message: `cannot move experiment ${path.join(dir, "a")} into itself (${path.join(dir, "a", "inner")})`,
    });
    assert.throws(() => exp.move(""), /the new directory must be a non-empty path/);
    assert.equal(exp.dataDir, path.join(dir, "a"));
    assert.deepEqual(fs.readdirSync(exp.dataDir), ["checkpoint_1.pt"]);
    // A directory that does not exist yet: the experiment is simply pointed elsewhere.
    const empty = new Experiment(path.join(dir, "never"), quiet);
    empty.move(path.join(dir, "elsewhere"));
    assert.equal(empty.dataDir, path.join(dir, "elsewhere"));
    assert.equal(fs.existsSync(empty.dataDir), false);
  }));

test("verbose: move and clear are printed", () =>
  withDir((dir) => {
    const log = mock.method(console, "log", () => {});
    try {
      const exp = new Experiment(path.join(dir, "a"));
      exp.writeMetadata("m", 1);
      log.mock.resetCalls();
      exp.move(path.join(dir, "b")).clear();
      assert.deepEqual(log.mock.calls.map((c) => c.arguments), [
        [`[Experiment] Moving ${path.join(dir, "a")} to ${path.join(dir, "b")}`],
        [`[Experiment] Deleting ${path.join(dir, "b")}`],
      ]);
    } finally {
      log.mock.restore();
    }
  }));

test("an Experiment over a pystematic run directory: new at start, shares the Recorder's event file", () =>
  withDir(async (dir) => {
    let runDir = "";
    const train = experiment({ name: "fifteen-run" }, (_params, ctx) => {
      runDir = ctx.outputDir;
      const exp = new Experiment(ctx.outputDir, quiet).assertNew();
      const recorder = new Recorder(ctx.outputDir);
      for (let step = 0; step < 4; step++) {
        recorder.count = step;
        recorder.scalar("recorder/loss", 1 / (step + 1));
        exp.log(new TensorboardLogData({ scalars: { "exp/loss": step } }), step, { logScalarsEveryN: 2 });
        exp.saveCheckpoint({ step, recorder }, step, { keep: 2 });
      }
      exp.close();
      recorder.close();
    });
    await train.run({ outputDir: dir });
    const names = fs.readdirSync(runDir).sort();
    assert.deepEqual(names.filter((n) => n.endsWith(".pt")), ["checkpoint_2.pt", "checkpoint_3.pt"]);
    assert.ok(names.includes("parameters.yaml"));
    assert.equal(names.filter((n) => n.startsWith("events.out.tfevents.")).length, 1, "one event file for both");
    const exp = new Experiment(runDir, quiet).assertExists();
    const recorder = new Recorder(runDir);
    const restored = exp.restoreCheckpoint({ step: 0, recorder });
    assert.equal(restored.step, 3);
    assert.equal(recorder.count, 3);
    recorder.close();
  }));

test("ranks other than 0 write nothing: saves return the path, metadata, logs, clear and move are no-ops", () =>
  withDir((dir) => {
    const master = new Experiment(path.join(dir, "exp"), quiet);
    master.saveCheckpoint({ step: 1 }, 1);
    const before = fs.readdirSync(master.dataDir).sort();
    const saved = getRankProvider();
    setRankProvider({ getRank: () => 1, getNumProcesses: () => 2, isMaster: () => false });
    try {
      const exp = new Experiment(master.dataDir, quiet);
      // Rank 0 may be saving step 1 right now: no "already exists" race on the other ranks.
      assert.equal(exp.saveCheckpoint({ step: 1 }, 1), path.join(master.dataDir, "checkpoint_1.pt"));
      assert.equal(exp.saveCheckpoint({ step: 2 }, 2), path.join(master.dataDir, "checkpoint_2.pt"));
      assert.throws(() => exp.saveCheckpoint({}, -1), /checkpoint step must be an integer >= 0/, "arguments are still checked");
      exp.writeMetadata("config", { a: 1 });
      exp.log(new TensorboardLogData({ scalars: { x: 1 } }), 0);
      exp.clear();
      assert.deepEqual(fs.readdirSync(master.dataDir).sort(), before);
      // Every rank reads: restoring works everywhere.
      assert.deepEqual(exp.restoreCheckpoint({ step: 0 }), { step: 1 });
      exp.move(path.join(dir, "moved"));
      assert.equal(exp.dataDir, path.join(dir, "moved"));
      assert.equal(fs.existsSync(path.join(dir, "moved")), false);
      assert.deepEqual(fs.readdirSync(master.dataDir).sort(), before);
    } finally {
      setRankProvider(saved);
    }
  }));
